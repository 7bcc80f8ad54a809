//! Survey branding (P4): the organization's accent colour and logo on its
//! public survey pages.
//!
//! Policy:
//! - The accent colour is written `#rrggbb` (upper or lower case; stored in
//!   lower case). It becomes the pages' button background, under white text,
//!   and the colour of links on white, so it must reach the WCAG 2.x
//!   contrast ratio of 4.5:1 against white (level AA for normal text),
//!   computed with WCAG's relative luminance; a lower one is refused naming
//!   the field `accent_colour`. The shades derived from it (hover, soft
//!   background) keep that ratio too ([`Accent::shades`]).
//! - The logo is a PNG or JPEG image of at most [`LOGO_MAX_BYTES`], told by
//!   its first bytes (the declared type or file name is not trusted). SVG is
//!   refused: it can carry script and external references, and serving it
//!   safely would need a sanitiser; a raster image cannot run anything.

use crate::validate::FieldErrors;
use serde::Serialize;

/// The field of the accent colour, in the API and the forms.
pub const ACCENT_FIELD: &str = "accent_colour";
/// The field of the logo.
pub const LOGO_FIELD: &str = "logo";
/// The least contrast of the accent against white: WCAG 2.x level AA for
/// normal text.
pub const MIN_CONTRAST: f64 = 4.5;
/// The largest logo accepted (200 KiB): a survey page's header image.
pub const LOGO_MAX_BYTES: usize = 200 * 1024;

/// A colour of the sRGB space, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const WHITE: Rgb = Rgb(255, 255, 255);
    pub const BLACK: Rgb = Rgb(0, 0, 0);

    /// `#rrggbb`, surrounding blanks ignored; `None` for anything else.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(channel(0)?, channel(2)?, channel(4)?))
    }

    /// `#rrggbb` in lower case.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG 2.x relative luminance: 0 for black, 1 for white.
    pub fn luminance(self) -> f64 {
        fn linear(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            // WCAG writes 0.03928, sRGB 0.04045: no 8-bit value lies between.
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// This colour mixed with `other`, `share` (0 to 1) of it, channel by channel.
    fn mix(self, other: Rgb, share: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * share).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// The WCAG 2.x contrast ratio of two colours, from 1 (the same) to 21
/// (black on white); the order does not matter.
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la >= lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// An accent colour that passed the contrast rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accent(Rgb);

/// The colours a page uses, derived from the accent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shades {
    /// Buttons (white text on it) and links.
    pub primary: String,
    /// Hovered buttons, and text on `soft`.
    pub dark: String,
    /// Light backgrounds of notes.
    pub soft: String,
}

impl Accent {
    /// Checks `text` as an accent colour; errors name [`ACCENT_FIELD`].
    pub fn parse(text: &str) -> Result<Accent, FieldErrors> {
        let Some(rgb) = Rgb::parse(text) else {
            return Err(FieldErrors::single(ACCENT_FIELD, "invalid", "must be a colour written #rrggbb"));
        };
        let ratio = contrast_ratio(rgb, Rgb::WHITE);
        if ratio < MIN_CONTRAST {
            return Err(FieldErrors::single(
                ACCENT_FIELD,
                "low_contrast",
                format!(
                    "white text on {} has a contrast ratio of {:.2}:1; it must be at least {MIN_CONTRAST}:1 \
                     (WCAG AA): choose a darker colour",
                    rgb.hex(),
                    // Rounded down, so that 4.497 never reads as an acceptable 4.50.
                    (ratio * 100.0).floor() / 100.0
                ),
            ));
        }
        Ok(Accent(rgb))
    }

    pub fn rgb(self) -> Rgb {
        self.0
    }

    pub fn hex(self) -> String {
        self.0.hex()
    }

    /// The accent, a darker shade (a fifth black) and a soft one (nine
    /// tenths white). Darkening only raises the contrast with white, and
    /// the dark shade on the soft one stays at least 4.5:1 (tested over
    /// every accent the rule accepts, sampled).
    pub fn shades(self) -> Shades {
        Shades { primary: self.hex(), dark: self.0.mix(Rgb::BLACK, 0.2).hex(), soft: self.0.mix(Rgb::WHITE, 0.9).hex() }
    }
}

/// The image types a logo may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LogoKind {
    Png,
    Jpeg,
}

impl LogoKind {
    pub fn content_type(self) -> &'static str {
        match self {
            LogoKind::Png => "image/png",
            LogoKind::Jpeg => "image/jpeg",
        }
    }

    /// A stored content type read back.
    pub fn from_content_type(t: &str) -> Option<LogoKind> {
        [LogoKind::Png, LogoKind::Jpeg].into_iter().find(|k| k.content_type() == t)
    }
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// What kind of image `bytes` are, by their first bytes: a PNG signature
/// followed by its header chunk, or a JPEG start-of-image marker. Errors
/// name [`LOGO_FIELD`]: empty, too large, or neither PNG nor JPEG.
pub fn check_logo(bytes: &[u8]) -> Result<LogoKind, FieldErrors> {
    let refuse = |code, message: &str| Err(FieldErrors::single(LOGO_FIELD, code, message));
    if bytes.is_empty() {
        return refuse("required", "send the image");
    }
    if bytes.len() > LOGO_MAX_BYTES {
        return refuse("image_too_large", "the image must be at most 200 KB");
    }
    if bytes.len() >= 16 && bytes[..8] == PNG_SIGNATURE && &bytes[12..16] == b"IHDR" {
        return Ok(LogoKind::Png);
    }
    if bytes.len() >= 4 && bytes[..3] == [0xff, 0xd8, 0xff] {
        return Ok(LogoKind::Jpeg);
    }
    refuse("invalid_image", "must be a PNG or JPEG image")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(hex: &str) -> f64 {
        contrast_ratio(Rgb::parse(hex).unwrap(), Rgb::WHITE)
    }

    #[test]
    fn parses_hex_colours_only() {
        assert_eq!(Rgb::parse(" #2F55d4 "), Some(Rgb(0x2f, 0x55, 0xd4)));
        assert_eq!(Rgb::parse("#2F55D4").unwrap().hex(), "#2f55d4");
        for bad in ["2f55d4", "#2f55d", "#2f55d4a", "#gg0000", "red", "", "#", "#+1+2+3"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_matches_published_values() {
        // WebAIM's contrast checker and WCAG's understanding documents.
        assert!((ratio("#000000") - 21.0).abs() < 1e-9);
        assert!((ratio("#ffffff") - 1.0).abs() < 1e-9);
        assert_eq!(format!("{:.2}", ratio("#777777")), "4.48");
        assert_eq!(format!("{:.2}", ratio("#767676")), "4.54");
        assert_eq!(format!("{:.2}", ratio("#0000ff")), "8.59");
        assert_eq!(format!("{:.2}", ratio("#ff0000")), "4.00");
        // Rapport's own colour passes the rule it sets.
        assert_eq!(format!("{:.2}", ratio("#2f55d4")), "6.23");
        let (a, b) = (Rgb::parse("#123456").unwrap(), Rgb::parse("#abcdef").unwrap());
        assert_eq!(contrast_ratio(a, b), contrast_ratio(b, a));
    }

    #[test]
    fn accents_below_aa_are_refused_by_field() {
        assert_eq!(Accent::parse("#767676").unwrap().hex(), "#767676");
        let e = Accent::parse("#777777").unwrap_err();
        let err = e.get(ACCENT_FIELD).unwrap();
        assert_eq!(err.code, "low_contrast");
        assert!(err.message.contains("4.47:1"), "{}", err.message);
        assert_eq!(Accent::parse("#ff0000").unwrap_err().get(ACCENT_FIELD).unwrap().code, "low_contrast");
        assert_eq!(Accent::parse("blue").unwrap_err().get(ACCENT_FIELD).unwrap().code, "invalid");
        assert!(Accent::parse("#000000").is_ok());
    }

    #[test]
    fn shades_keep_the_contrast() {
        let mut accepted = 0;
        for r in (0..=255).step_by(15) {
            for g in (0..=255).step_by(15) {
                for b in (0..=255).step_by(15) {
                    let Ok(accent) = Accent::parse(&Rgb(r, g, b).hex()) else { continue };
                    accepted += 1;
                    let s = accent.shades();
                    let (dark, soft) = (Rgb::parse(&s.dark).unwrap(), Rgb::parse(&s.soft).unwrap());
                    assert!(contrast_ratio(dark, Rgb::WHITE) >= contrast_ratio(accent.rgb(), Rgb::WHITE));
                    assert!(contrast_ratio(dark, soft) >= MIN_CONTRAST, "{s:?}");
                }
            }
        }
        assert!(accepted > 1000, "only {accepted} accents sampled");
        let s = Accent::parse("#2F55D4").unwrap().shades();
        assert_eq!((s.primary.as_str(), s.dark.as_str()), ("#2f55d4", "#2644aa"));
    }

    #[test]
    fn logos_are_told_by_their_first_bytes() {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend_from_slice(&[0, 0, 0, 13]);
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&[0; 17]);
        assert_eq!(check_logo(&png), Ok(LogoKind::Png));
        assert_eq!(check_logo(&[0xff, 0xd8, 0xff, 0xe0, 0, 16]), Ok(LogoKind::Jpeg));
        let code = |bytes: &[u8]| check_logo(bytes).unwrap_err().get(LOGO_FIELD).unwrap().code;
        assert_eq!(code(b""), "required");
        assert_eq!(code(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), "invalid_image");
        assert_eq!(code(b"GIF89a......"), "invalid_image");
        assert_eq!(code(&png[..12]), "invalid_image", "a signature alone is not an image");
        let mut big = png.clone();
        big.resize(LOGO_MAX_BYTES + 1, 0);
        assert_eq!(code(&big), "image_too_large");
        big.truncate(LOGO_MAX_BYTES);
        assert_eq!(check_logo(&big), Ok(LogoKind::Png));
        assert_eq!(LogoKind::from_content_type("image/jpeg"), Some(LogoKind::Jpeg));
        assert_eq!(LogoKind::from_content_type("image/svg+xml"), None);
    }
}
