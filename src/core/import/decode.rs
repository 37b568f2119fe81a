//! Recognising an export's encoding and turning its bytes into UTF-8, chunk
//! by chunk, so the file never has to be in memory whole.

use encoding_rs::{Decoder, Encoding as Codec, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use serde::Serialize;

/// The text encoding an export was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Excel's "CSV" on Western Windows; chosen only when the bytes are not
    /// valid UTF-8, because UTF-8 text almost never decodes as valid
    /// Windows-1252 by accident but the reverse is common.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl Encoding {
    /// Looks at byte-order marks first (they are unambiguous) and falls back
    /// to validating the whole buffer as UTF-8, which costs one fast pass but
    /// avoids guessing from a prefix that might be plain ASCII.
    pub fn sniff(bytes: &[u8]) -> Encoding {
        let mut sniffer = Sniffer::default();
        sniffer.update(bytes);
        sniffer.finish()
    }

    /// A decoder to UTF-8 that drops the byte-order mark. UTF-8 is decoded
    /// too: that validates it, and keeps a character cut between two chunks
    /// whole.
    pub fn decoder(self) -> Decoder {
        self.codec().unwrap_or(UTF_8).new_decoder_with_bom_removal()
    }

    /// Length of the byte-order mark that [`Encoding::sniff`] found.
    pub fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
            Encoding::Utf8 | Encoding::Windows1252 => 0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    /// The encoding [`Encoding::label`] names.
    pub fn from_label(label: &str) -> Option<Encoding> {
        [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Windows1252,
        ]
        .into_iter()
        .find(|e| e.label() == label)
    }

    fn codec(self) -> Option<&'static Codec> {
        match self {
            Encoding::Utf8 | Encoding::Utf8Bom => None,
            Encoding::Utf16Le => Some(UTF_16LE),
            Encoding::Utf16Be => Some(UTF_16BE),
            Encoding::Windows1252 => Some(WINDOWS_1252),
        }
    }

    /// Decodes the start of the file for sniffing the dialect and layout;
    /// a character cut at the end of the prefix is simply dropped.
    pub fn decode_prefix(self, bytes: &[u8], max: usize) -> String {
        let body = &bytes[self.bom_len().min(bytes.len())..];
        let prefix = &body[..body.len().min(max)];
        match self.codec() {
            None => match std::str::from_utf8(prefix) {
                Ok(text) => text.to_owned(),
                Err(e) => String::from_utf8_lossy(&prefix[..e.valid_up_to()]).into_owned(),
            },
            Some(codec) => {
                let mut decoder = codec.new_decoder_without_bom_handling();
                let mut out = String::with_capacity(prefix.len() * 2 + 16);
                let _ = decoder.decode_to_string(prefix, &mut out, false);
                out
            }
        }
    }
}

/// [`Encoding::sniff`] over a file read in chunks: the byte-order mark from
/// the first bytes, and UTF-8 validity of everything, carrying a character
/// cut between chunks over to the next one.
#[derive(Debug, Default)]
pub struct Sniffer {
    start: Vec<u8>,
    /// The unfinished character at the end of the last chunk.
    carry: Vec<u8>,
    invalid: bool,
}

impl Sniffer {
    pub fn update(&mut self, mut chunk: &[u8]) {
        let wanted = 3usize.saturating_sub(self.start.len()).min(chunk.len());
        self.start.extend_from_slice(&chunk[..wanted]);
        while !self.carry.is_empty() && !chunk.is_empty() && !self.invalid {
            self.carry.push(chunk[0]);
            chunk = &chunk[1..];
            match std::str::from_utf8(&self.carry) {
                Ok(_) => self.carry.clear(),
                Err(e) => self.invalid = e.error_len().is_some(),
            }
        }
        if self.invalid || !self.carry.is_empty() {
            return;
        }
        if let Err(e) = std::str::from_utf8(chunk) {
            match e.error_len() {
                Some(_) => self.invalid = true,
                None => self.carry = chunk[e.valid_up_to()..].to_vec(),
            }
        }
    }

    /// The encoding of the whole file, once every chunk went through
    /// [`Sniffer::update`]: a character cut off at its end is invalid UTF-8.
    pub fn finish(self) -> Encoding {
        match self.so_far() {
            Encoding::Utf8 if !self.carry.is_empty() => Encoding::Windows1252,
            found => found,
        }
    }

    /// What the bytes seen so far say, when the rest is still to come: the
    /// browser guesses from a file's first chunk so the review shows at
    /// once, and imports again as Windows-1252 in the rare file whose
    /// invalid UTF-8 comes later (see [`crate::import::Importer::misread`]).
    pub fn so_far(&self) -> Encoding {
        match self.start.as_slice() {
            [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8Bom,
            [0xFF, 0xFE, ..] => Encoding::Utf16Le,
            [0xFE, 0xFF, ..] => Encoding::Utf16Be,
            _ if !self.invalid => Encoding::Utf8,
            _ => Encoding::Windows1252,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: Vec<u8>) -> (Encoding, String) {
        let encoding = Encoding::sniff(&bytes);
        let mut decoder = encoding.decoder();
        let room = decoder.max_utf8_buffer_length(bytes.len()).unwrap();
        let mut out = String::with_capacity(room);
        let _ = decoder.decode_to_string(&bytes, &mut out, true);
        (encoding, out)
    }

    #[test]
    fn labels_name_their_encoding() {
        for e in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Windows1252,
        ] {
            assert_eq!(Encoding::from_label(e.label()), Some(e));
        }
        assert_eq!(Encoding::from_label("xlsx"), None);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(read_all(b"a,b".to_vec()), (Encoding::Utf8, "a,b".into()));
        assert_eq!(
            read_all(b"\xEF\xBB\xBFa,\xC3\xA9".to_vec()),
            (Encoding::Utf8Bom, "a,é".into())
        );
    }

    #[test]
    fn utf16_both_byte_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("é\t€".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("é\t€".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(read_all(le), (Encoding::Utf16Le, "é\t€".into()));
        assert_eq!(read_all(be), (Encoding::Utf16Be, "é\t€".into()));
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        assert_eq!(
            read_all(b"caf\xE9 \x80".to_vec()),
            (Encoding::Windows1252, "café €".into())
        );
    }

    #[test]
    fn sniffing_in_chunks_of_any_size_agrees() {
        let files: [&[u8]; 6] = [
            "a,é,€\n".as_bytes(),
            b"caf\xE9",
            b"ok \xE2\x82",
            b"\xEF\xBB\xBFa",
            b"\xFF\xFEa\0",
            b"a\xC3\xA9\xC3",
        ];
        for file in files {
            let whole = Encoding::sniff(file);
            for size in 1..=file.len() {
                let mut sniffer = Sniffer::default();
                for chunk in file.chunks(size) {
                    sniffer.update(chunk);
                }
                assert_eq!(sniffer.finish(), whole, "{file:?} in chunks of {size}");
            }
        }
        assert_eq!(Encoding::sniff(b"ok \xE2\x82"), Encoding::Windows1252);
        let mut start = Sniffer::default();
        start.update(b"ok \xE2\x82");
        assert_eq!(start.so_far(), Encoding::Utf8, "the character may go on");
        start.update(b"x");
        assert_eq!(start.so_far(), Encoding::Windows1252);
        assert_eq!(Encoding::sniff("a,é,€".as_bytes()), Encoding::Utf8);
    }
}
