//! `.intunewin` packages, as Microsoft's Win32 Content Prep Tool (IntuneWinAppUtil) writes
//! them: a zip holding `IntuneWinPackage/Metadata/Detection.xml` (the setup file, the
//! unencrypted size and the encryption info) and `IntuneWinPackage/Contents/<FileName>`, the
//! encrypted content: HMAC-SHA256 (32 bytes) over the IV and the ciphertext, the IV (16 bytes),
//! then the AES-256-CBC (PKCS#7) ciphertext of a zip of the app's folder.
//!
//! [`IntuneWinPackage::open`] reads one and checks it before anything is sent;
//! [`IntuneWinPackage::pack`] makes one from a folder, on any OS.

use std::fmt;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::FileEncryptionInfo;

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;
type HmacSha256 = Hmac<Sha256>;

/// Where Detection.xml sits in the package.
pub const DETECTION_PATH: &str = "IntuneWinPackage/Metadata/Detection.xml";
/// The folder of the encrypted content in the package.
pub const CONTENTS_DIR: &str = "IntuneWinPackage/Contents/";
/// The content's file name IntuneWinAppUtil writes.
pub const CONTENT_FILE: &str = "IntunePackage.intunewin";
/// The only encryption profile Intune knows.
pub const PROFILE: &str = "ProfileVersion1";
/// The digest algorithm Intune's packages use.
pub const DIGEST_ALGORITHM: &str = "SHA256";
/// HMAC-SHA256 length, then the IV's: the encrypted file's header.
const MAC_LEN: usize = 32;
const IV_LEN: usize = 16;
const BLOCK: usize = 16;

/// What is wrong with a `.intunewin` (or a folder to pack): raised before anything is created
/// in the tenant.
#[derive(Debug)]
#[non_exhaustive]
pub enum PackageError {
    /// The file could not be read or written.
    Io {
        /// The path.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// Not a zip, so not a `.intunewin`.
    NotAPackage {
        /// What the zip reader said.
        reason: String,
    },
    /// The zip has no `IntuneWinPackage/Metadata/Detection.xml`.
    MissingDetection,
    /// Detection.xml is not what IntuneWinAppUtil writes.
    BadDetection {
        /// What is wrong, naming the element.
        reason: String,
    },
    /// The content file Detection.xml names is not in the package.
    MissingContent {
        /// The path it should be at.
        path: String,
    },
    /// The encrypted content's size does not fit the unencrypted size Detection.xml gives.
    SizeMismatch {
        /// The encrypted file's size.
        encrypted: u64,
        /// What HMAC, IV and the padded ciphertext of `UnencryptedContentSize` bytes make.
        expected: u64,
    },
    /// The content does not decrypt to what Detection.xml describes (see
    /// [`IntuneWinPackage::verify`]).
    Integrity {
        /// Which check failed.
        reason: String,
    },
    /// The folder to pack, or its setup file, is not usable.
    BadSource {
        /// What is wrong.
        reason: String,
    },
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => {
                write!(f, "cannot read or write {}: {source}", path.display())
            }
            Self::NotAPackage { reason } => write!(
                f,
                "not a .intunewin package (expected a zip made by IntuneWinAppUtil): {reason}"
            ),
            Self::MissingDetection => write!(f, "the package has no {DETECTION_PATH}"),
            Self::BadDetection { reason } => write!(f, "{DETECTION_PATH} is not usable: {reason}"),
            Self::MissingContent { path } => write!(
                f,
                "the package has no {path}, the content file its Detection.xml names"
            ),
            Self::SizeMismatch {
                encrypted,
                expected,
            } => write!(
                f,
                "the encrypted content has {encrypted} bytes, but Detection.xml's UnencryptedContentSize makes {expected} (HMAC, IV and padded ciphertext)"
            ),
            Self::Integrity { reason } => {
                write!(f, "the package's content is not intact: {reason}")
            }
            Self::BadSource { reason } => write!(f, "cannot pack: {reason}"),
        }
    }
}

impl std::error::Error for PackageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PackageError + '_ {
    move |source| PackageError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The keys and checksums that encrypt a package's content. The keys are secrets: `Debug`
/// shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptionInfo {
    /// AES-256 key.
    encryption_key: [u8; 32],
    /// HMAC-SHA256 key.
    mac_key: [u8; 32],
    /// AES-CBC initialization vector.
    initialization_vector: [u8; IV_LEN],
    /// HMAC-SHA256 over the IV and the ciphertext.
    mac: [u8; MAC_LEN],
    /// SHA-256 of the unencrypted content.
    file_digest: [u8; 32],
    /// `ProfileVersion1`.
    profile_identifier: String,
    /// `SHA256`.
    file_digest_algorithm: String,
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
        if encrypted.len() < MAC_LEN + IV_LEN + BLOCK
            || !(encrypted.len() - MAC_LEN - IV_LEN).is_multiple_of(BLOCK)
        {
            return Err(format!(
                "{} bytes is not HMAC, IV and whole AES blocks",
                encrypted.len()
            ));
        }
        let (mac, rest) = encrypted.split_at(MAC_LEN);
        let mut hmac = HmacSha256::new_from_slice(&self.mac_key).map_err(|e| e.to_string())?;
        hmac.update(rest);
        hmac.verify_slice(mac)
            .map_err(|_| "the HMAC does not match the macKey".to_owned())?;
        if mac != self.mac {
            return Err("the content's HMAC is not the committed `mac`".into());
        }
        let (iv, ciphertext) = rest.split_at(IV_LEN);
        if iv != self.initialization_vector {
            return Err("the content's IV is not the committed `initializationVector`".into());
        }
        let plain = Aes256CbcDec::new(
            &self.encryption_key.into(),
            &self.initialization_vector.into(),
        )
        .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
        .map_err(|_| {
            "the content does not decrypt with the encryptionKey (bad padding)".to_owned()
        })?;
        let digest: [u8; 32] = Sha256::digest(&plain).into();
        if digest != self.file_digest {
            return Err("the decrypted content's SHA-256 is not the `fileDigest`".into());
        }
        Ok(plain.len() as u64)
    }
}

fn sized<const N: usize>(name: &str, bytes: Vec<u8>) -> Result<[u8; N], String> {
    let len = bytes.len();
    bytes
        .try_into()
        .map_err(|_| format!("`{name}` has {len} bytes, expected {N}"))
}

/// What Detection.xml says about the package.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Detection {
    /// `Name`: the app's name as the tool read it (the setup file's, or an MSI's product name).
    pub name: String,
    /// `UnencryptedContentSize`: the size of the zip of the app's folder.
    pub unencrypted_content_size: u64,
    /// `FileName`: the encrypted content's name in `IntuneWinPackage/Contents/`.
    pub file_name: String,
    /// `SetupFile`: the file Intune runs, relative to the folder.
    pub setup_file: String,
    /// `EncryptionInfo`.
    pub encryption: EncryptionInfo,
}

impl Detection {
    /// Reads Detection.xml's text.
    pub fn parse(xml: &str) -> Result<Self, PackageError> {
        let bad = |reason: String| PackageError::BadDetection { reason };
        let document = roxmltree::Document::parse(xml).map_err(|e| bad(format!("not XML: {e}")))?;
        let root = document.root_element();
        if root.tag_name().name() != "ApplicationInfo" {
            return Err(bad(format!(
                "the root element is <{}>, expected <ApplicationInfo>",
                root.tag_name().name()
            )));
        }
        let text = |parent: roxmltree::Node<'_, '_>, name: &str| -> Result<String, PackageError> {
            parent
                .children()
                .find(|n| n.is_element() && n.tag_name().name() == name)
                .and_then(|n| n.text())
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .ok_or_else(|| bad(format!("<{name}> is missing or empty")))
        };
        let size = text(root, "UnencryptedContentSize")?;
        let unencrypted_content_size = size.parse::<u64>().map_err(|_| {
            bad(format!(
                "<UnencryptedContentSize> is `{size}`, not a size in bytes"
            ))
        })?;
        let info = root
            .children()
            .find(|n| n.is_element() && n.tag_name().name() == "EncryptionInfo")
            .ok_or_else(|| bad("<EncryptionInfo> is missing".into()))?;
        let key = |name: &str| -> Result<Vec<u8>, PackageError> {
            let value = text(info, name)?;
            BASE64
                .decode(&value)
                .map_err(|e| bad(format!("<{name}> is not base64: {e}")))
        };
        let encryption = EncryptionInfo {
            encryption_key: sized("EncryptionKey", key("EncryptionKey")?).map_err(bad)?,
            mac_key: sized("MacKey", key("MacKey")?).map_err(bad)?,
            initialization_vector: sized("InitializationVector", key("InitializationVector")?)
                .map_err(bad)?,
            mac: sized("Mac", key("Mac")?).map_err(bad)?,
            file_digest: sized("FileDigest", key("FileDigest")?).map_err(bad)?,
            profile_identifier: text(info, "ProfileIdentifier")?,
            file_digest_algorithm: text(info, "FileDigestAlgorithm")?,
        };
        if encryption.profile_identifier != PROFILE {
            return Err(bad(format!(
                "<ProfileIdentifier> is `{}`, expected `{PROFILE}`",
                encryption.profile_identifier
            )));
        }
        if encryption.file_digest_algorithm != DIGEST_ALGORITHM {
            return Err(bad(format!(
                "<FileDigestAlgorithm> is `{}`, expected `{DIGEST_ALGORITHM}`",
                encryption.file_digest_algorithm
            )));
        }
        Ok(Self {
            name: text(root, "Name")?,
            unencrypted_content_size,
            file_name: text(root, "FileName")?,
            setup_file: text(root, "SetupFile")?,
            encryption,
        })
    }

    /// Detection.xml's text, laid out as IntuneWinAppUtil writes it.
    pub fn to_xml(&self) -> String {
        let e = &self.encryption;
        format!(
            "<ApplicationInfo xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ToolVersion=\"1.8.6.0\">\r\n  <Name>{}</Name>\r\n  <UnencryptedContentSize>{}</UnencryptedContentSize>\r\n  <FileName>{}</FileName>\r\n  <SetupFile>{}</SetupFile>\r\n  <EncryptionInfo>\r\n    <EncryptionKey>{}</EncryptionKey>\r\n    <MacKey>{}</MacKey>\r\n    <InitializationVector>{}</InitializationVector>\r\n    <Mac>{}</Mac>\r\n    <ProfileIdentifier>{}</ProfileIdentifier>\r\n    <FileDigest>{}</FileDigest>\r\n    <FileDigestAlgorithm>{}</FileDigestAlgorithm>\r\n  </EncryptionInfo>\r\n</ApplicationInfo>",
            escape(&self.name),
            self.unencrypted_content_size,
            escape(&self.file_name),
            escape(&self.setup_file),
            BASE64.encode(e.encryption_key),
            BASE64.encode(e.mac_key),
            BASE64.encode(e.initialization_vector),
            BASE64.encode(e.mac),
            escape(&e.profile_identifier),
            BASE64.encode(e.file_digest),
            escape(&e.file_digest_algorithm),
        )
    }

    /// The encrypted content's size for this unencrypted size: HMAC, IV and the PKCS#7-padded
    /// ciphertext (always at least one byte of padding).
    pub fn encrypted_size(&self) -> u64 {
        (MAC_LEN + IV_LEN) as u64
            + (self.unencrypted_content_size / BLOCK as u64 + 1) * BLOCK as u64
    }
}

/// XML text escaping for element content.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Where a package's encrypted content is read from while it uploads.
#[derive(Debug, Clone)]
enum Content {
    /// Stored uncompressed in the package file: read at its offset, block by block.
    InFile { path: PathBuf, offset: u64 },
    /// Held in memory (compressed in the zip, or given as bytes).
    Memory(bytes::Bytes),
}

/// A `.intunewin` package, read and checked: its Detection.xml and where its encrypted
/// content is.
#[derive(Debug, Clone)]
pub struct IntuneWinPackage {
    detection: Detection,
    content: Content,
    encrypted_size: u64,
}

impl IntuneWinPackage {
    /// Reads the package at `path`: Detection.xml parsed, the content found, its size checked
    /// against the unencrypted size. The content is read when it uploads, block by block
    /// (uncompressed in the zip, as IntuneWinAppUtil stores it) or held in memory.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, PackageError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(io(path))?;
        Self::read(file, Some(path))
    }

    /// Reads a package from its bytes.
    pub fn from_bytes(bytes: impl Into<bytes::Bytes>) -> Result<Self, PackageError> {
        Self::read(std::io::Cursor::new(bytes.into()), None)
    }

    fn read<R: Read + Seek>(reader: R, path: Option<&Path>) -> Result<Self, PackageError> {
        let mut archive = zip::ZipArchive::new(reader).map_err(|e| PackageError::NotAPackage {
            reason: e.to_string(),
        })?;
        let detection = {
            let mut entry = archive
                .by_name(DETECTION_PATH)
                .map_err(|_| PackageError::MissingDetection)?;
            let mut xml = String::new();
            entry
                .read_to_string(&mut xml)
                .map_err(|e| PackageError::BadDetection {
                    reason: format!("cannot be read as UTF-8 text: {e}"),
                })?;
            Detection::parse(xml.trim_start_matches('\u{feff}'))?
        };
        let content_path = format!("{CONTENTS_DIR}{}", detection.file_name);
        let mut entry =
            archive
                .by_name(&content_path)
                .map_err(|_| PackageError::MissingContent {
                    path: content_path.clone(),
                })?;
        let encrypted_size = entry.size();
        let expected = detection.encrypted_size();
        if encrypted_size != expected {
            return Err(PackageError::SizeMismatch {
                encrypted: encrypted_size,
                expected,
            });
        }
        let content = match path {
            Some(path) if entry.compression() == zip::CompressionMethod::Stored => {
                Content::InFile {
                    path: path.to_owned(),
                    offset: entry.data_start(),
                }
            }
            _ => {
                let mut bytes = Vec::with_capacity(usize::try_from(encrypted_size).unwrap_or(0));
                entry
                    .read_to_end(&mut bytes)
                    .map_err(|e| PackageError::NotAPackage {
                        reason: format!("{content_path} cannot be read: {e}"),
                    })?;
                Content::Memory(bytes.into())
            }
        };
        Ok(Self {
            detection,
            content,
            encrypted_size,
        })
    }

    /// What Detection.xml says.
    pub fn detection(&self) -> &Detection {
        &self.detection
    }

    /// The encrypted content's size (what is uploaded).
    pub fn encrypted_size(&self) -> u64 {
        self.encrypted_size
    }

    /// `len` bytes of the encrypted content from `offset` (one upload block; fewer at the
    /// end).
    pub fn read_encrypted(&self, offset: u64, len: usize) -> std::io::Result<bytes::Bytes> {
        match &self.content {
            Content::Memory(bytes) => {
                let start = usize::try_from(offset).map_err(std::io::Error::other)?;
                let end = start.saturating_add(len).min(bytes.len());
                Ok(bytes.slice(start.min(end)..end))
            }
            Content::InFile { path, offset: at } => {
                let left = self.encrypted_size.saturating_sub(offset);
                let len = len.min(usize::try_from(left).unwrap_or(usize::MAX));
                let mut file = std::fs::File::open(path)?;
                file.seek(std::io::SeekFrom::Start(at + offset))?;
                let mut block = vec![0; len];
                file.read_exact(&mut block)?;
                Ok(block.into())
            }
        }
    }

    /// Decrypts the content and checks it against Detection.xml: the HMAC, the padding and the
    /// SHA-256 digest (reads it all into memory).
    pub fn verify(&self) -> Result<(), PackageError> {
        let len = usize::try_from(self.encrypted_size).map_err(|_| PackageError::Integrity {
            reason: "too large to check in memory".into(),
        })?;
        let content = self
            .read_encrypted(0, len)
            .map_err(|e| PackageError::Integrity {
                reason: format!("cannot read the content: {e}"),
            })?;
        let size = self
            .detection
            .encryption
            .verify(&content)
            .map_err(|reason| PackageError::Integrity { reason })?;
        if size != self.detection.unencrypted_content_size {
            return Err(PackageError::Integrity {
                reason: format!(
                    "the content decrypts to {size} bytes, Detection.xml says {}",
                    self.detection.unencrypted_content_size
                ),
            });
        }
        Ok(())
    }

    /// Packs `folder` as IntuneWinAppUtil does, with `setup_file` (a path relative to it) as
    /// the file Intune runs: the folder zipped, encrypted with fresh keys (AES-256-CBC,
    /// HMAC-SHA256 over IV and ciphertext), and written with its Detection.xml to
    /// `output` (a `.intunewin` file). Returns the package, read back.
    pub fn pack(
        folder: impl AsRef<Path>,
        setup_file: &str,
        output: impl AsRef<Path>,
    ) -> Result<Self, PackageError> {
        let folder = folder.as_ref();
        let output = output.as_ref();
        if !folder.join(setup_file).is_file() {
            return Err(PackageError::BadSource {
                reason: format!(
                    "the setup file `{setup_file}` is not a file in {}",
                    folder.display()
                ),
            });
        }
        let plain = zip_folder(folder)?;
        let (encrypted, detection) = seal(&plain, setup_file)?;
        let file = std::fs::File::create(output).map_err(io(output))?;
        write_package(std::io::BufWriter::new(file), &encrypted, &detection)
            .and_then(|mut w| Ok(w.flush()?))
            .map_err(|e| PackageError::Io {
                path: output.to_owned(),
                source: std::io::Error::other(e),
            })?;
        Self::open(output)
    }
}

/// The folder's files as a deflated zip, paths relative to it with `/`, in name order (the
/// same folder makes the same zip).
fn zip_folder(folder: &Path) -> Result<Vec<u8>, PackageError> {
    let mut files = Vec::new();
    collect_files(folder, folder, &mut files)?;
    files.sort();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Deflate's fastest level: installers are mostly compressed already, and the default
    // level spent most of the packing time for a few percent of size.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    for (relative, path) in files {
        let mut source = std::fs::File::open(&path).map_err(io(&path))?;
        zip.start_file(relative, options)
            .and_then(|()| {
                std::io::copy(&mut source, &mut zip)
                    .map(drop)
                    .map_err(Into::into)
            })
            .map_err(|e| PackageError::Io {
                path: path.clone(),
                source: std::io::Error::other(e),
            })?;
    }
    zip.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|e| PackageError::Io {
            path: folder.to_owned(),
            source: std::io::Error::other(e),
        })
}

fn collect_files(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), PackageError> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io(&path))?;
        if kind.is_dir() {
            collect_files(root, &path, out)?;
        } else if kind.is_file() {
            let relative = path
                .strip_prefix(root)
                .map_err(|_| PackageError::BadSource {
                    reason: format!("{} is outside the folder", path.display()),
                })?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((relative, path));
        }
    }
    Ok(())
}

/// Encrypts `plain`: HMAC ‖ IV ‖ AES-256-CBC(PKCS#7), with the encryption info describing it.
fn encrypt(
    plain: &[u8],
    encryption_key: &[u8],
    mac_key: &[u8],
    iv: &[u8],
) -> Result<(Vec<u8>, EncryptionInfo), PackageError> {
    let key: [u8; 32] = sized("encryption key", encryption_key.to_vec())
        .map_err(|reason| PackageError::BadSource { reason })?;
    let mac_key: [u8; 32] =
        sized("mac key", mac_key.to_vec()).map_err(|reason| PackageError::BadSource { reason })?;
    let iv: [u8; IV_LEN] =
        sized("iv", iv.to_vec()).map_err(|reason| PackageError::BadSource { reason })?;
    let ciphertext =
        Aes256CbcEnc::new(&key.into(), &iv.into()).encrypt_padded_vec_mut::<Pkcs7>(plain);
    let mut out = Vec::with_capacity(MAC_LEN + IV_LEN + ciphertext.len());
    out.extend_from_slice(&[0; MAC_LEN]);
    out.extend_from_slice(&iv);
    out.extend_from_slice(&ciphertext);
    let mut hmac = HmacSha256::new_from_slice(&mac_key).map_err(|e| PackageError::BadSource {
        reason: e.to_string(),
    })?;
    hmac.update(&out[MAC_LEN..]);
    let mac: [u8; MAC_LEN] = hmac.finalize().into_bytes().into();
    out[..MAC_LEN].copy_from_slice(&mac);
    Ok((
        out,
        EncryptionInfo {
            encryption_key: key,
            mac_key,
            initialization_vector: iv,
            mac,
            file_digest: Sha256::digest(plain).into(),
            profile_identifier: PROFILE.into(),
            file_digest_algorithm: DIGEST_ALGORITHM.into(),
        },
    ))
}

/// A package made in memory from `files` (name, bytes) with `setup_file` among them: for
/// tests and benchmarks that need one without a folder.
pub fn pack_in_memory(files: &[(&str, &[u8])], setup_file: &str) -> Result<Vec<u8>, PackageError> {
    let mut inner = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    for (name, bytes) in files {
        inner
            .start_file(*name, options)
            .and_then(|()| inner.write_all(bytes).map_err(Into::into))
            .map_err(|e| PackageError::BadSource {
                reason: e.to_string(),
            })?;
    }
    let plain = inner
        .finish()
        .map_err(|e| PackageError::BadSource {
            reason: e.to_string(),
        })?
        .into_inner();
    let (encrypted, detection) = seal(&plain, setup_file)?;
    write_package(std::io::Cursor::new(Vec::new()), &encrypted, &detection)
        .map(std::io::Cursor::into_inner)
        .map_err(|e| PackageError::BadSource {
            reason: e.to_string(),
        })
}

/// `plain` (the zip of the app's folder) encrypted with fresh keys from the OS, and the
/// Detection.xml that describes it with `setup_file` as the file Intune runs.
fn seal(plain: &[u8], setup_file: &str) -> Result<(Vec<u8>, Detection), PackageError> {
    let mut keys = [0u8; 32 + 32 + IV_LEN];
    getrandom::fill(&mut keys).map_err(|e| PackageError::BadSource {
        reason: format!("the system's random source failed: {e}"),
    })?;
    let sealed = encrypt(plain, &keys[..32], &keys[32..64], &keys[64..]);
    keys.fill(0);
    let (encrypted, encryption) = sealed?;
    let name = Path::new(setup_file).file_name().map_or_else(
        || setup_file.to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let detection = Detection {
        name,
        unencrypted_content_size: plain.len() as u64,
        file_name: CONTENT_FILE.into(),
        setup_file: setup_file.replace('\\', "/"),
        encryption,
    };
    Ok((encrypted, detection))
}

/// The package's zip, as IntuneWinAppUtil lays it out: the encrypted content stored (it does
/// not compress), then Detection.xml deflated.
fn write_package<W: Write + Seek>(
    writer: W,
    encrypted: &[u8],
    detection: &Detection,
) -> zip::result::ZipResult<W> {
    let mut zip = zip::ZipWriter::new(writer);
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(encrypted.len() as u64 >= u64::from(u32::MAX));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(format!("{CONTENTS_DIR}{CONTENT_FILE}"), stored)?;
    zip.write_all(encrypted)?;
    zip.start_file(DETECTION_PATH, deflated)?;
    zip.write_all(detection.to_xml().as_bytes())?;
    zip.finish()
}

/// The emulator's check of a commit (registered as the content file's staged upload): the
/// committed `fileEncryptionInfo` decrypts the uploaded content, its MAC and digest match.
pub(crate) fn verify_commit(content: &[u8], commit: &serde_json::Value) -> Result<(), String> {
    let info = commit
        .get("fileEncryptionInfo")
        .ok_or("the commit has no `fileEncryptionInfo`")?;
    let info: FileEncryptionInfo = serde_json::from_value(info.clone())
        .map_err(|e| format!("`fileEncryptionInfo` does not decode: {e}"))?;
    EncryptionInfo::from_graph(&info)?.verify(content).map(drop)
}
