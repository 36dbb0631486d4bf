//! The encryption of a `.intunewin` package's content, as Intune's `ProfileVersion1` defines it:
//! HMAC-SHA256 (32 bytes) over the IV and the ciphertext, the IV (16 bytes), then the
//! AES-256-CBC (PKCS#7) ciphertext, with the SHA-256 of the plain content as its digest.
//!
//! Both directions stream through one buffer of [`CHUNK`] bytes, so memory stays flat
//! whatever the content's size (Intune takes installers up to 30 GB).

use std::fmt;
use std::io::{Read, Write};

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, generic_array::GenericArray};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::FileEncryptionInfo;

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;
type HmacSha256 = Hmac<Sha256>;

/// The only encryption profile Intune knows.
pub const PROFILE: &str = "ProfileVersion1";
/// The digest algorithm Intune's packages use.
pub const DIGEST_ALGORITHM: &str = "SHA256";
/// HMAC-SHA256 length, then the IV's: the encrypted file's header.
pub(super) const MAC_LEN: usize = 32;
pub(super) const IV_LEN: usize = 16;
pub(super) const BLOCK: usize = 16;
/// What is read, encrypted or decrypted at a time: a whole number of AES blocks.
const CHUNK: usize = 1024 * 1024;

/// The size of `plain_len` bytes encrypted: HMAC, IV and the PKCS#7-padded ciphertext (always
/// at least one byte of padding).
pub(super) fn encrypted_size(plain_len: u64) -> u64 {
    (MAC_LEN + IV_LEN) as u64 + (plain_len / BLOCK as u64 + 1) * BLOCK as u64
}

/// The keys and checksums that encrypt a package's content. The keys are secrets: `Debug`
/// shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptionInfo {
    /// AES-256 key.
    pub(super) encryption_key: [u8; 32],
    /// HMAC-SHA256 key.
    pub(super) mac_key: [u8; 32],
    /// AES-CBC initialization vector.
    pub(super) initialization_vector: [u8; IV_LEN],
    /// HMAC-SHA256 over the IV and the ciphertext.
    pub(super) mac: [u8; MAC_LEN],
    /// SHA-256 of the unencrypted content.
    pub(super) file_digest: [u8; 32],
    /// `ProfileVersion1`.
    pub(super) profile_identifier: String,
    /// `SHA256`.
    pub(super) file_digest_algorithm: String,
}

impl fmt::Debug for EncryptionInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionInfo")
            .field("encryption_key", &"<redacted>")
            .field("mac_key", &"<redacted>")
            .field(
                "initialization_vector",
                &BASE64.encode(self.initialization_vector),
            )
            .field("mac", &BASE64.encode(self.mac))
            .field("file_digest", &BASE64.encode(self.file_digest))
            .field("profile_identifier", &self.profile_identifier)
            .field("file_digest_algorithm", &self.file_digest_algorithm)
            .finish()
    }
}

impl EncryptionInfo {
    /// As Graph's `fileEncryptionInfo`, the body of a content file's `commit`.
    pub fn to_graph(&self) -> FileEncryptionInfo {
        FileEncryptionInfo {
            encryption_key: BASE64.encode(self.encryption_key).into(),
            mac_key: BASE64.encode(self.mac_key).into(),
            initialization_vector: BASE64.encode(self.initialization_vector).into(),
            mac: BASE64.encode(self.mac).into(),
            file_digest: BASE64.encode(self.file_digest).into(),
            profile_identifier: self.profile_identifier.clone().into(),
            file_digest_algorithm: self.file_digest_algorithm.clone().into(),
            ..FileEncryptionInfo::default()
        }
    }

    /// Reads Graph's `fileEncryptionInfo` (the emulator's check of a commit): each key and
    /// checksum base64 of the right length.
    pub fn from_graph(info: &FileEncryptionInfo) -> Result<Self, String> {
        let field = |name: &str, value: Option<&String>| -> Result<Vec<u8>, String> {
            let text = value.ok_or_else(|| format!("`{name}` is missing"))?;
            BASE64
                .decode(text)
                .map_err(|e| format!("`{name}` is not base64: {e}"))
        };
        Ok(Self {
            encryption_key: sized(
                "encryptionKey",
                field("encryptionKey", info.encryption_key.value())?,
            )?,
            mac_key: sized("macKey", field("macKey", info.mac_key.value())?)?,
            initialization_vector: sized(
                "initializationVector",
                field("initializationVector", info.initialization_vector.value())?,
            )?,
            mac: sized("mac", field("mac", info.mac.value())?)?,
            file_digest: sized("fileDigest", field("fileDigest", info.file_digest.value())?)?,
            profile_identifier: info.profile_identifier.value().cloned().unwrap_or_default(),
            file_digest_algorithm: info
                .file_digest_algorithm
                .value()
                .cloned()
                .unwrap_or_default(),
        })
    }

    /// Checks `encrypted` (HMAC, IV, ciphertext) against these keys: the MAC, the IV, then the
    /// digest of what it decrypts to, and returns that size.
    pub fn verify(&self, encrypted: &[u8]) -> Result<u64, String> {
        self.verify_reader(encrypted, encrypted.len() as u64)
    }

    /// [`EncryptionInfo::verify`] over `len` encrypted bytes read from `encrypted`, one chunk
    /// at a time: the MAC and the digest are computed as the content streams past, and nothing
    /// it decrypts to is reported before its MAC matched.
    pub fn verify_reader(&self, mut encrypted: impl Read, len: u64) -> Result<u64, String> {
        if self.profile_identifier != PROFILE {
            return Err(format!(
                "profileIdentifier is `{}`, expected `{PROFILE}`",
                self.profile_identifier
            ));
        }
        if self.file_digest_algorithm != DIGEST_ALGORITHM {
            return Err(format!(
                "fileDigestAlgorithm is `{}`, expected `{DIGEST_ALGORITHM}`",
                self.file_digest_algorithm
            ));
        }
        let header = (MAC_LEN + IV_LEN) as u64;
        if len < header + BLOCK as u64 || !(len - header).is_multiple_of(BLOCK as u64) {
            return Err(format!("{len} bytes is not HMAC, IV and whole AES blocks"));
        }
        let unreadable = |e: std::io::Error| format!("the content cannot be read: {e}");
        let mut mac = [0u8; MAC_LEN];
        let mut iv = [0u8; IV_LEN];
        encrypted.read_exact(&mut mac).map_err(unreadable)?;
        encrypted.read_exact(&mut iv).map_err(unreadable)?;
        let mut hmac = HmacSha256::new_from_slice(&self.mac_key).map_err(|e| e.to_string())?;
        hmac.update(&iv);
        let mut decryptor = Aes256CbcDec::new(&self.encryption_key.into(), &iv.into());
        let mut digest = Sha256::new();
        let mut plain_len = 0u64;
        // The last block holds the padding: it is decrypted after every other one.
        let mut held: Option<[u8; BLOCK]> = None;
        let mut buffer = vec![0u8; CHUNK];
        let mut left = len - header;
        while left > 0 {
            let take = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
            let chunk = &mut buffer[..take];
            encrypted.read_exact(chunk).map_err(unreadable)?;
            hmac.update(chunk);
            left -= take as u64;
            for block in chunk.chunks_exact_mut(BLOCK) {
                if let Some(mut previous) = held.take() {
                    decryptor.decrypt_block_mut(GenericArray::from_mut_slice(&mut previous));
                    digest.update(previous);
                    plain_len += BLOCK as u64;
                }
                let mut next = [0u8; BLOCK];
                next.copy_from_slice(block);
                held = Some(next);
            }
        }
        hmac.verify_slice(&mac)
            .map_err(|_| "the HMAC does not match the macKey".to_owned())?;
        if mac != self.mac {
            return Err("the content's HMAC is not the committed `mac`".into());
        }
        if iv != self.initialization_vector {
            return Err("the content's IV is not the committed `initializationVector`".into());
        }
        let bad_padding =
            || "the content does not decrypt with the encryptionKey (bad padding)".to_owned();
        let mut last = held.ok_or_else(bad_padding)?;
        decryptor.decrypt_block_mut(GenericArray::from_mut_slice(&mut last));
        let pad = usize::from(last[BLOCK - 1]);
        if pad == 0 || pad > BLOCK || last[BLOCK - pad..].iter().any(|b| usize::from(*b) != pad) {
            return Err(bad_padding());
        }
        digest.update(&last[..BLOCK - pad]);
        plain_len += (BLOCK - pad) as u64;
        let digest: [u8; 32] = digest.finalize().into();
        if digest != self.file_digest {
            return Err("the decrypted content's SHA-256 is not the `fileDigest`".into());
        }
        Ok(plain_len)
    }
}

pub(super) fn sized<const N: usize>(name: &str, bytes: Vec<u8>) -> Result<[u8; N], String> {
    let len = bytes.len();
    bytes
        .try_into()
        .map_err(|_| format!("`{name}` has {len} bytes, expected {N}"))
}

/// Encrypts `plain_len` bytes read from `plain` with fresh keys from the OS, writing the IV and
/// the ciphertext to `out` (not the MAC: it is known only at the end, and the package puts it
/// first). Returns the encryption info, its `mac` that of what was written.
pub(super) fn encrypt_stream(
    plain: impl Read,
    plain_len: u64,
    out: impl Write,
) -> std::io::Result<EncryptionInfo> {
    let mut keys = [0u8; 32 + 32 + IV_LEN];
    getrandom::fill(&mut keys)
        .map_err(|e| std::io::Error::other(format!("the system's random source failed: {e}")))?;
    let mut encryption_key = [0u8; 32];
    let mut mac_key = [0u8; 32];
    let mut iv = [0u8; IV_LEN];
    encryption_key.copy_from_slice(&keys[..32]);
    mac_key.copy_from_slice(&keys[32..64]);
    iv.copy_from_slice(&keys[64..]);
    keys.fill(0);
    encrypt_with(plain, plain_len, out, encryption_key, mac_key, iv)
}

fn encrypt_with(
    mut plain: impl Read,
    plain_len: u64,
    mut out: impl Write,
    encryption_key: [u8; 32],
    mac_key: [u8; 32],
    iv: [u8; IV_LEN],
) -> std::io::Result<EncryptionInfo> {
    let mut encryptor = Aes256CbcEnc::new(&encryption_key.into(), &iv.into());
    let mut hmac = HmacSha256::new_from_slice(&mac_key).map_err(std::io::Error::other)?;
    let mut digest = Sha256::new();
    out.write_all(&iv)?;
    hmac.update(&iv);
    let mut buffer = vec![0u8; CHUNK + BLOCK];
    let mut left = plain_len;
    loop {
        let take = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
        plain.read_exact(&mut buffer[..take])?;
        digest.update(&buffer[..take]);
        left -= take as u64;
        let mut end = take;
        if left == 0 {
            // PKCS#7: 1 to 16 bytes, each the count, to a whole block.
            let pad = BLOCK - take % BLOCK;
            buffer[take..take + pad].fill(pad as u8);
            end = take + pad;
        }
        for block in buffer[..end].chunks_exact_mut(BLOCK) {
            encryptor.encrypt_block_mut(GenericArray::from_mut_slice(block));
        }
        hmac.update(&buffer[..end]);
        out.write_all(&buffer[..end])?;
        if left == 0 {
            break;
        }
    }
    // The plain content must have been exactly `plain_len` bytes long.
    if plain.read(&mut [0u8; 1])? != 0 {
        return Err(std::io::Error::other(
            "the content grew while it was encrypted",
        ));
    }
    Ok(EncryptionInfo {
        encryption_key,
        mac_key,
        initialization_vector: iv,
        mac: hmac.finalize().into_bytes().into(),
        file_digest: digest.finalize().into(),
        profile_identifier: PROFILE.into(),
        file_digest_algorithm: DIGEST_ALGORITHM.into(),
    })
}

/// `plain` encrypted with fresh keys, whole in memory: HMAC ‖ IV ‖ ciphertext.
pub(super) fn encrypt_in_memory(plain: &[u8]) -> std::io::Result<(Vec<u8>, EncryptionInfo)> {
    let mut out = vec![0u8; MAC_LEN];
    let info = encrypt_stream(plain, plain.len() as u64, &mut out)?;
    out[..MAC_LEN].copy_from_slice(&info.mac);
    Ok((out, info))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::block_padding::Pkcs7;

    /// The streaming encryption is the one-shot AES-256-CBC with PKCS#7 of the `cbc` crate,
    /// at every length around the block and chunk sizes.
    #[test]
    fn streaming_matches_one_shot_encryption_at_every_boundary() {
        let key = [7u8; 32];
        let mac_key = [9u8; 32];
        let iv = [3u8; IV_LEN];
        for len in [
            0,
            1,
            15,
            16,
            17,
            31,
            32,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            2 * CHUNK + 5,
        ] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let mut streamed = Vec::new();
            let info =
                encrypt_with(&plain[..], len as u64, &mut streamed, key, mac_key, iv).unwrap();
            let one_shot =
                Aes256CbcEnc::new(&key.into(), &iv.into()).encrypt_padded_vec_mut::<Pkcs7>(&plain);
            assert_eq!(&streamed[..IV_LEN], &iv, "len {len}");
            assert_eq!(&streamed[IV_LEN..], &one_shot[..], "len {len}");
            assert_eq!(
                streamed.len() as u64 + MAC_LEN as u64,
                encrypted_size(len as u64)
            );
            let mut whole = info.mac.to_vec();
            whole.extend_from_slice(&streamed);
            assert_eq!(info.verify(&whole), Ok(len as u64), "len {len}");
        }
    }

    #[test]
    fn tampering_is_found_before_anything_decrypted_is_trusted() {
        let (mut encrypted, info) = encrypt_in_memory(b"the app's folder, zipped").unwrap();
        let last = encrypted.len() - 1;
        encrypted[last] ^= 1;
        assert_eq!(
            info.verify(&encrypted),
            Err("the HMAC does not match the macKey".to_owned())
        );
        assert_eq!(
            info.verify(&encrypted[..40]),
            Err("40 bytes is not HMAC, IV and whole AES blocks".to_owned())
        );
        // Fewer bytes than announced: an error, not a wait or a panic.
        let (encrypted, info) = encrypt_in_memory(b"x").unwrap();
        assert_eq!(
            info.verify_reader(&encrypted[..], encrypted.len() as u64 + 16),
            Err("the content cannot be read: failed to fill whole buffer".to_owned())
        );
    }
}
