//! Images served by Rapport at `/media/{id}` (training modules and
//! knowledge articles show them as `![alt](/media/12)`). An upload is at
//! most [`MEDIA_MAX_BYTES`] and its type is told from its first bytes, never
//! from what the client declares: PNG, JPEG, GIF or WebP.

use crate::validate::FieldErrors;

/// The largest image, 2 MiB.
pub const MEDIA_MAX_BYTES: usize = 2 * 1024 * 1024;
/// The form field (and the 422's field) of an upload.
pub const MEDIA_FIELD: &str = "file";

/// The content type of an image, from its first bytes; errors name
/// [`MEDIA_FIELD`]: empty, too large, or not a PNG, JPEG, GIF or WebP.
pub fn sniff_image(bytes: &[u8]) -> Result<&'static str, FieldErrors> {
    let refuse = |code, message: &str| Err(FieldErrors::single(MEDIA_FIELD, code, message));
    if bytes.is_empty() {
        return refuse("required", "send the image");
    }
    if bytes.len() > MEDIA_MAX_BYTES {
        return refuse("image_too_large", "the image must be at most 2 MiB");
    }
    if bytes.len() >= 16 && bytes[..8] == [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a] && &bytes[12..16] == b"IHDR"
    {
        return Ok("image/png");
    }
    if bytes.len() >= 4 && bytes[..3] == [0xff, 0xd8, 0xff] {
        return Ok("image/jpeg");
    }
    if bytes.len() >= 10 && (bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return Ok("image/gif");
    }
    if bytes.len() >= 16 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" && bytes[12..15] == *b"VP8" {
        return Ok("image/webp");
    }
    refuse("invalid_image", "must be a PNG, JPEG, GIF or WebP image")
}

/// Whether a stored content type is one [`sniff_image`] answers (only those
/// are served).
pub fn is_image_type(t: &str) -> bool {
    matches!(t, "image/png" | "image/jpeg" | "image/gif" | "image/webp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_told_by_their_first_bytes() {
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
        png.extend_from_slice(b"IHDR");
        assert_eq!(sniff_image(&png), Ok("image/png"));
        assert_eq!(sniff_image(&[0xff, 0xd8, 0xff, 0xe0]), Ok("image/jpeg"));
        assert_eq!(sniff_image(b"GIF89a\x01\x00\x01\x00"), Ok("image/gif"));
        assert_eq!(sniff_image(b"RIFF\x24\x00\x00\x00WEBPVP8 \x00\x00"), Ok("image/webp"));
        assert_eq!(
            sniff_image(b"RIFF\x24\x00\x00\x00WAVEfmt \x00\x00").unwrap_err().get(MEDIA_FIELD).unwrap().code,
            "invalid_image"
        );
        assert_eq!(sniff_image(b"<svg onload=alert(1)>").unwrap_err().get(MEDIA_FIELD).unwrap().code, "invalid_image");
        assert_eq!(sniff_image(b"").unwrap_err().get(MEDIA_FIELD).unwrap().code, "required");
        let big = [vec![0xff, 0xd8, 0xff], vec![0; MEDIA_MAX_BYTES]].concat();
        assert_eq!(sniff_image(&big).unwrap_err().get(MEDIA_FIELD).unwrap().code, "image_too_large");
        assert!(is_image_type("image/webp") && !is_image_type("image/svg+xml"));
    }
}
