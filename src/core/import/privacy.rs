//! Masking contact details in free-text comments. Customers paste their
//! email address and phone number into "anything else?" boxes; a journey map
//! shared around a company should not carry them. Masking errs towards
//! hiding: an order number that looks like a phone number is masked too.

use std::borrow::Cow;

pub const EMAIL_MASK: &str = "[email]";
pub const PHONE_MASK: &str = "[phone]";

/// Replaces email addresses and phone numbers in `text`; borrows when there
/// is nothing to mask, which is the common case and keeps imports fast.
pub fn mask_contacts(text: &str) -> Cow<'_, str> {
    if !may_hold_contact(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let found = if bytes[i] == b'@' {
            email_around(bytes, i).map(|(s, e)| (s, e, EMAIL_MASK))
        } else if (bytes[i].is_ascii_digit() || bytes[i] == b'+' || bytes[i] == b'(')
            && (i == 0 || !is_word(bytes[i - 1]))
        {
            phone_at(bytes, i).map(|e| (i, e, PHONE_MASK))
        } else {
            None
        };
        match found {
            Some((start, end, mask)) if start >= copied => {
                out.push_str(&text[copied..start]);
                out.push_str(mask);
                copied = end;
                i = end;
            }
            _ => i += 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Whether `bytes` hold an `@` or a digit, without which nothing is masked;
/// checked eight bytes at a time with the bit tricks of "Bit Twiddling
/// Hacks" (haszero, hasbetween), since every comment of an import goes
/// through it and nearly none holds either.
fn may_hold_contact(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("chunks of 8"));
        let y = x ^ (ONES * u64::from(b'@'));
        let at = y.wrapping_sub(ONES) & !y & HIGH;
        // Bytes below 0x80 strictly between '/' and ':'.
        let low = x & LOW7;
        let digit = (ONES * (127 + u64::from(b':'))).wrapping_sub(low)
            & !x
            & low.wrapping_add(ONES * (127 - u64::from(b'/')))
            & HIGH;
        if at | digit != 0 {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&b| b == b'@' || b.is_ascii_digit())
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// The byte range of an address whose `@` is at `at`: a local part, then a
/// domain with at least one dot and a 2+ letter top-level label.
fn email_around(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut start = at;
    while start > 0 && is_local(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'-'))
    {
        end += 1;
    }
    while end > at + 1 && bytes[end - 1] == b'.' {
        end -= 1;
    }
    let domain = &bytes[at + 1..end];
    let tld = domain.rsplit(|&b| b == b'.').next()?;
    let dotted = domain.contains(&b'.');
    (start < at && dotted && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic))
        .then_some((start, end))
}

/// The end of a phone number starting at `start`: digits with spaces, dots,
/// dashes or parentheses between them. Needs 10–15 digits, or 7–9 when
/// written with a `+` or grouped with separators, and must not look like a
/// date (`2024-03-04`) or a decimal.
fn phone_at(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    let plus = bytes[i] == b'+';
    if plus {
        i += 1;
    }
    let mut digits = 0;
    let mut groups = 0;
    let mut end = start;
    let mut last_sep = true;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            if last_sep {
                groups += 1;
            }
            digits += 1;
            last_sep = false;
            i += 1;
            end = i;
        } else if matches!(b, b' ' | b'-' | b'.' | b'(' | b')') && !(last_sep && b != b'(') {
            last_sep = b != b')';
            i += 1;
            if b == b')' {
                end = i;
            }
        } else {
            break;
        }
    }
    if end < bytes.len() && is_word(bytes[end]) {
        return None;
    }
    let text = std::str::from_utf8(&bytes[start..end]).ok()?;
    let looks_like_date =
        text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    let decimal = groups == 2 && text.contains('.') && !text.contains(' ');
    let enough = match digits {
        10..=15 => true,
        7..=9 => plus || groups >= 2,
        _ => false,
    };
    (enough && !looks_like_date && !decimal).then_some(end)
}

// Native only: proptest has no wasm32 backend here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn word_check_agrees_with_a_byte_check(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let slow = bytes.iter().any(|&b| b == b'@' || b.is_ascii_digit());
            prop_assert_eq!(may_hold_contact(&bytes), slow);
        }

        #[test]
        fn word_check_finds_each_byte_anywhere(at in 0usize..24, b in prop::sample::select(b"@0123456789/:?\x80\xB0\xC0".to_vec())) {
            let mut bytes = vec![b'a'; 24];
            bytes[at] = b;
            prop_assert_eq!(may_hold_contact(&bytes), b == b'@' || b.is_ascii_digit());
        }
    }

    #[test]
    fn masks_emails_and_phones() {
        assert_eq!(
            mask_contacts("Mail me at jane.doe+cx@example.co.uk or call +44 20 7946 0958."),
            "Mail me at [email] or call [phone]."
        );
        assert_eq!(mask_contacts("(555) 123-4567 anytime"), "[phone] anytime");
        assert_eq!(mask_contacts("call 555-1234"), "call [phone]");
        assert_eq!(mask_contacts("5551234567"), "[phone]");
    }

    #[test]
    fn leaves_ordinary_text_and_numbers_alone() {
        for text in [
            "Waited 45 minutes on 2024-03-04, order 12345",
            "paid 1299.99 in store 12",
            "rated it 10/10 @ the branch",
            "twitter @handle",
            "user@localhost",
        ] {
            assert!(matches!(mask_contacts(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn multibyte_text_around_masks() {
        assert_eq!(
            mask_contacts("Écrivez à zoe@exemple.fr — merci"),
            "Écrivez à [email] — merci"
        );
    }
}
