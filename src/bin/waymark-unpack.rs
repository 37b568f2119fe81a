//! Unpacks the modules the single-file build carries.
//!
//! `dist/waymark.html` must hold the whole app and the comment scorer, since
//! nothing can be fetched from `file://`. Gzipped and base64-encoded, as the
//! browser alone could unpack them, they made a 2.22 MB file. LZMA (preset
//! 9e, Python's `lzma` at build time) makes the two modules 1,113 KB instead
//! of 1,552 KB gzipped, and [`text7`] stores those bytes as text at 8/7 of
//! their size instead of base64's 4/3: 1.27 MB instead of 2.07. Browsers
//! have no LZMA decoder, so this module is one (lzma-rs, about 13 KB
//! gzipped); the page inflates it with `DecompressionStream`, then calls
//! the exports below without wasm-bindgen's glue, as `.ci/post-build.mjs`
//! writes and checks at build time.

use std::io::Read;

/// Binary as text that an HTML data block keeps intact: 7 bits per
/// character, so 8/7 of the bytes in UTF-8.
///
/// The bytes are read as a bit string, most significant bit first, in
/// groups of 7, each a character of that code. Three codes cannot stand
/// for themselves: NUL (the parser replaces it), CR (the parser turns it
/// into LF) and `<` (it could end the block). Such a group is written
/// together with the group after it (0 when there is none) as one
/// two-byte character, U+0080 + (escape index × 128 + next group), so
/// escaping costs nothing. Bits after the last whole byte are padding.
mod text7 {
    /// The codes that are escaped, in escape-index order.
    pub const ESCAPED: [u8; 3] = [0x00, 0x0D, b'<'];

    /// The bytes of `text`, or the position of the first character that
    /// no encoder writes.
    pub fn decode(text: &str) -> Result<Vec<u8>, usize> {
        let mut out = Vec::with_capacity(text.len() / 8 * 7 + 1);
        let mut bits = 0u32;
        let mut held = 0u32;
        let mut push = |group: u32| {
            bits = (bits << 7) | group;
            held += 7;
            if held >= 8 {
                held -= 8;
                out.push((bits >> held) as u8);
                bits &= (1 << held) - 1;
            }
        };
        for (at, c) in text.char_indices() {
            let code = c as u32;
            match code {
                0..=0x7F => push(code),
                0x80..=0x1FF => {
                    let escaped = code - 0x80;
                    push(u32::from(ESCAPED[(escaped >> 7) as usize]));
                    push(escaped & 0x7F);
                }
                _ => return Err(at),
            }
        }
        Ok(out)
    }
}

/// The bytes a packed block holds: text7 of the LZMA stream's length (4
/// bytes, little-endian; text7's padding could otherwise pass for more of
/// the stream), then the stream (the `.lzma` format of `.ci/pack.py`).
fn unpack(text: &str) -> Result<Vec<u8>, String> {
    let packed =
        text7::decode(text).map_err(|at| format!("character at byte {at} is not packed data"))?;
    let (length, stream) = packed.split_at_checked(4).ok_or("no length")?;
    let length = u32::from_le_bytes(length.try_into().map_err(|_| "no length")?) as usize;
    let mut stream = stream.get(..length).ok_or("cut short")?;
    let mut out = Vec::new();
    lzma_rust2::LzmaReader::new_mem_limit(&mut stream, u32::MAX, None)
        .and_then(|mut reader| reader.read_to_end(&mut out))
        .map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(target_arch = "wasm32")]
mod exports {
    use std::cell::RefCell;

    use wasm_bindgen::prelude::*;

    thread_local! {
        /// The packed text the page writes, then what it unpacks to.
        static BUFFERS: RefCell<(Vec<u8>, Vec<u8>)> = RefCell::default();
    }

    /// Makes room for `bytes` of packed text (UTF-8); returns where it goes.
    #[wasm_bindgen]
    pub fn waymark_unpack_input(bytes: usize) -> usize {
        BUFFERS.with_borrow_mut(|(input, _)| {
            input.clear();
            input.resize(bytes, 0);
            input.as_mut_ptr() as usize
        })
    }

    /// Unpacks the text; returns how many bytes it gave, or 0 when it is
    /// damaged (never a trap: the page says the file is damaged).
    #[wasm_bindgen]
    pub fn waymark_unpack() -> usize {
        BUFFERS.with_borrow_mut(|(input, output)| {
            let text = std::str::from_utf8(input).map_err(|e| e.to_string());
            *output = text.and_then(super::unpack).unwrap_or_default();
            *input = Vec::new();
            output.len()
        })
    }

    /// Where the unpacked bytes are.
    #[wasm_bindgen]
    pub fn waymark_unpack_output() -> usize {
        BUFFERS.with_borrow_mut(|(_, output)| output.as_mut_ptr() as usize)
    }
}

/// Nothing runs at start: the page calls the exports.
#[cfg(target_arch = "wasm32")]
fn main() {}

/// Natively, the same unpacking as a filter, to look inside a built file:
/// `waymark-unpack < packed.txt > modules.bin`.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::io::Write;
    let mut text = String::new();
    let unpacked = std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())
        .and_then(|_| unpack(&text));
    match unpacked.and_then(|bytes| {
        std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| e.to_string())
    }) {
        Ok(()) => {}
        Err(reason) => {
            eprintln!("waymark-unpack: {reason}");
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups of 7 bits as the text spells them: 0b1010101_0 → 'U', then 0
    /// padded with six zero bits.
    #[test]
    fn a_byte_spans_two_groups_and_the_padding_is_dropped() {
        assert_eq!(text7::decode("U@").unwrap(), vec![0b1010_1011]);
        assert_eq!(text7::decode("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn an_escaped_group_carries_the_next_one() {
        // 0x3C ('<', escape 2) then group 0x55: 0111100 1010101 → 0x79, padding 0x55's last 6 bits.
        let c = char::from_u32(0x80 + 2 * 128 + 0x55).unwrap();
        assert_eq!(text7::decode(&c.to_string()).unwrap(), vec![0b0111_1001]);
        // CR then group 1: 0001101 0000001 → 0x1A.
        let c = char::from_u32(0x80 + 128 + 1).unwrap();
        assert_eq!(text7::decode(&c.to_string()).unwrap(), vec![0x1A]);
    }

    #[test]
    fn a_character_no_encoder_writes_is_named_by_position() {
        assert_eq!(text7::decode("ab€"), Err(2));
    }

    /// `packed.txt` is packed by the build's own packer:
    /// `printf 'Waymark waymark waymark\n' | python3 .ci/pack.py > tests/fixtures/unpack/packed.txt`.
    #[test]
    fn unpacks_what_the_build_packs() {
        let text = include_str!("../../tests/fixtures/unpack/packed.txt");
        assert_eq!(unpack(text).unwrap(), b"Waymark waymark waymark\n");
        let half: String = text.chars().take(text.chars().count() / 2).collect();
        assert!(unpack(&half).is_err());
    }
}
