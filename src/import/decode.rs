//! Turning the bytes of an export into UTF-8 without copying the whole file
//! when it can be avoided: UTF-8 is parsed in place, anything else is decoded
//! chunk by chunk while the parser reads, so peak memory stays near one copy
//! of the file.

use std::io::{self, Read};

use encoding_rs::{CoderResult, Decoder, Encoding as Codec, UTF_16BE, UTF_16LE, WINDOWS_1252};
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
        match bytes {
            [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8Bom,
            [0xFF, 0xFE, ..] => Encoding::Utf16Le,
            [0xFE, 0xFF, ..] => Encoding::Utf16Be,
            _ if std::str::from_utf8(bytes).is_ok() => Encoding::Utf8,
            _ => Encoding::Windows1252,
        }
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

/// A [`Read`] over the file's bytes that yields UTF-8, decoding on the fly.
/// It owns the bytes so an importer can be kept between `step` calls without
/// borrowing from the caller.
pub struct Utf8Source {
    bytes: Vec<u8>,
    pos: usize,
    decoder: Option<Decoder>,
    finished: bool,
    /// Decoded bytes that did not fit a caller's tiny buffer.
    spill: [u8; 4],
    spill_range: (usize, usize),
}

impl Utf8Source {
    pub fn new(bytes: Vec<u8>, encoding: Encoding) -> Self {
        let pos = encoding.bom_len().min(bytes.len());
        Utf8Source {
            decoder: encoding
                .codec()
                .map(|codec| codec.new_decoder_without_bom_handling()),
            bytes,
            pos,
            finished: false,
            spill: [0; 4],
            spill_range: (0, 0),
        }
    }

    /// Source bytes consumed so far, for progress reporting.
    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl Read for Utf8Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (start, end) = self.spill_range;
        if start < end {
            let n = (end - start).min(buf.len());
            buf[..n].copy_from_slice(&self.spill[start..start + n]);
            self.spill_range = (start + n, end);
            return Ok(n);
        }
        let rest = &self.bytes[self.pos..];
        let Some(decoder) = self.decoder.as_mut() else {
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            self.pos += n;
            return Ok(n);
        };
        if self.finished || buf.is_empty() {
            return Ok(0);
        }
        // encoding_rs needs room for one whole character, so a tiny buffer
        // is served through the spill.
        // The whole remaining input is always offered, so `last` is true and
        // `InputEmpty` means the decoder has flushed everything.
        let (result, read, written) = if buf.len() < 4 {
            let (result, read, written, _) = decoder.decode_to_utf8(rest, &mut self.spill, true);
            let n = written.min(buf.len());
            buf[..n].copy_from_slice(&self.spill[..n]);
            self.spill_range = (n, written);
            (result, read, n)
        } else {
            let (result, read, written, _) = decoder.decode_to_utf8(rest, buf, true);
            (result, read, written)
        };
        self.pos += read;
        self.finished = result == CoderResult::InputEmpty;
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: Vec<u8>) -> (Encoding, String) {
        let encoding = Encoding::sniff(&bytes);
        let mut out = String::new();
        Utf8Source::new(bytes, encoding)
            .read_to_string(&mut out)
            .unwrap();
        (encoding, out)
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
    fn tiny_read_buffers_still_decode_whole_characters() {
        let bytes = b"\xE9\xE9\xE9".to_vec();
        let mut source = Utf8Source::new(bytes, Encoding::Windows1252);
        let mut out = Vec::new();
        let mut buf = [0u8; 1];
        loop {
            let n = source.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), "ééé");
    }
}
