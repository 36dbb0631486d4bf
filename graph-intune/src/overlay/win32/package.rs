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

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

pub use super::encryption::{DIGEST_ALGORITHM, EncryptionInfo, PROFILE};
use super::encryption::{encrypt_in_memory, encrypt_stream, encrypted_size, sized};
use crate::FileEncryptionInfo;

/// Where Detection.xml sits in the package.
pub const DETECTION_PATH: &str = "IntuneWinPackage/Metadata/Detection.xml";
/// The folder of the encrypted content in the package.
pub const CONTENTS_DIR: &str = "IntuneWinPackage/Contents/";
/// The content's file name IntuneWinAppUtil writes.
pub const CONTENT_FILE: &str = "IntunePackage.intunewin";
/// The most of Detection.xml read: IntuneWinAppUtil writes about 1 KB (more with an MSI's
/// details); a larger one, whatever the zip declares, is not a package's.
const MAX_DETECTION_BYTES: u64 = 256 * 1024;
/// The largest content held in memory when the zip compresses it (IntuneWinAppUtil stores it,
/// and such content is read from the file as it uploads, whatever its size).
const MAX_IN_MEMORY_CONTENT: u64 = 512 * 1024 * 1024;
/// What deflate's framing may add over an encrypted content's size: ciphertext does not
/// compress, so a real package's content inflates to no more than its compressed size.
const DEFLATE_SLACK: u64 = 64 * 1024;

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
        encrypted_size(self.unencrypted_content_size)
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
    /// Held in memory (a slice of the package's bytes, or inflated from a compressed entry).
    Memory(bytes::Bytes),
}

/// Where a package is read from.
enum Source<'a> {
    File(&'a Path),
    Bytes(&'a bytes::Bytes),
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
    /// (uncompressed in the zip, as IntuneWinAppUtil stores it) or held in memory (compressed,
    /// up to 512 MiB).
    ///
    /// Nothing the zip declares is trusted for memory: Detection.xml is read to at most
    /// 256 KiB, and a compressed content to no more than its compressed size allows (encrypted
    /// content does not compress), whatever sizes the zip gives.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, PackageError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(io(path))?;
        Self::read(std::io::BufReader::new(file), Source::File(path))
    }

    /// Reads a package from its bytes (a content stored uncompressed is not copied).
    pub fn from_bytes(bytes: impl Into<bytes::Bytes>) -> Result<Self, PackageError> {
        let bytes = bytes.into();
        Self::read(std::io::Cursor::new(bytes.clone()), Source::Bytes(&bytes))
    }

    fn read<R: Read + Seek>(reader: R, source: Source<'_>) -> Result<Self, PackageError> {
        let mut archive = zip::ZipArchive::new(reader).map_err(|e| PackageError::NotAPackage {
            reason: e.to_string(),
        })?;
        let detection = read_detection(&mut archive)?;
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
        let not_a_package = |reason: String| PackageError::NotAPackage { reason };
        let content = if entry.compression() == zip::CompressionMethod::Stored {
            let offset = entry.data_start();
            let end = offset.checked_add(encrypted_size);
            let available = match &source {
                Source::File(path) => std::fs::metadata(path).map_err(io(path))?.len(),
                Source::Bytes(bytes) => bytes.len() as u64,
            };
            if end.is_none_or(|end| end > available) {
                return Err(not_a_package(format!(
                    "{content_path} says it holds {encrypted_size} bytes from offset {offset}, past the end of the {available}-byte package"
                )));
            }
            match source {
                Source::File(path) => Content::InFile {
                    path: path.to_owned(),
                    offset,
                },
                // Both bounds were just checked against the length.
                Source::Bytes(bytes) => Content::Memory(
                    bytes.slice(offset as usize..(offset + encrypted_size) as usize),
                ),
            }
        } else {
            let room = entry.compressed_size().saturating_add(DEFLATE_SLACK);
            if encrypted_size > room || encrypted_size > MAX_IN_MEMORY_CONTENT {
                return Err(not_a_package(format!(
                    "{content_path} is compressed and says it inflates to {encrypted_size} bytes from {}: encrypted content does not compress, and IntuneWinAppUtil stores it uncompressed (a compressed content is read into memory, up to {MAX_IN_MEMORY_CONTENT} bytes)",
                    entry.compressed_size()
                )));
            }
            // Read to the declared size and one byte more, never trusting it for an
            // allocation: a zip bomb ends at the bound, not in memory.
            let mut bytes = Vec::new();
            (&mut entry)
                .take(encrypted_size + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| not_a_package(format!("{content_path} cannot be read: {e}")))?;
            if bytes.len() as u64 != encrypted_size {
                return Err(not_a_package(format!(
                    "{content_path} inflates to {}{} bytes, not the {encrypted_size} its entry declares",
                    if bytes.len() as u64 > encrypted_size {
                        "more than "
                    } else {
                        ""
                    },
                    bytes.len().min(encrypted_size as usize)
                )));
            }
            Content::Memory(bytes.into())
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
        let left = self.encrypted_size.saturating_sub(offset);
        let len = len.min(usize::try_from(left).unwrap_or(usize::MAX));
        match &self.content {
            Content::Memory(bytes) => {
                let start = usize::try_from(offset).map_err(std::io::Error::other)?;
                let end = start.saturating_add(len).min(bytes.len());
                Ok(bytes.slice(start.min(end)..end))
            }
            Content::InFile { path, offset: at } => {
                let mut file = std::fs::File::open(path)?;
                file.seek(std::io::SeekFrom::Start(at + offset))?;
                let mut block = Vec::new();
                // Never more than the content holds, whatever `len` asks.
                file.take(len as u64).read_to_end(&mut block)?;
                if block.len() != len {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the package file is shorter than its content entry says",
                    ));
                }
                Ok(block.into())
            }
        }
    }

    /// The encrypted content from its start, as a reader.
    fn encrypted_reader(&self) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(match &self.content {
            Content::Memory(bytes) => Box::new(&bytes[..]),
            Content::InFile { path, offset } => {
                let mut file = std::fs::File::open(path)?;
                file.seek(std::io::SeekFrom::Start(*offset))?;
                Box::new(std::io::BufReader::new(file).take(self.encrypted_size))
            }
        })
    }

    /// Decrypts the content and checks it against Detection.xml: the HMAC, the padding and the
    /// SHA-256 digest, streaming (memory stays flat whatever the size).
    pub fn verify(&self) -> Result<(), PackageError> {
        let integrity = |reason: String| PackageError::Integrity { reason };
        let reader = self
            .encrypted_reader()
            .map_err(|e| integrity(format!("cannot read the content: {e}")))?;
        let size = self
            .detection
            .encryption
            .verify_reader(reader, self.encrypted_size)
            .map_err(integrity)?;
        if size != self.detection.unencrypted_content_size {
            return Err(integrity(format!(
                "the content decrypts to {size} bytes, Detection.xml says {}",
                self.detection.unencrypted_content_size
            )));
        }
        Ok(())
    }

    /// Packs `folder` as IntuneWinAppUtil does, with `setup_file` (a path relative to it) as
    /// the file Intune runs: the folder zipped, encrypted with fresh keys (AES-256-CBC,
    /// HMAC-SHA256 over IV and ciphertext), and written with its Detection.xml to
    /// `output` (a `.intunewin` file). Returns the package, read back.
    ///
    /// Everything streams through files beside `output` (removed afterwards), so memory stays
    /// flat whatever the folder's size; the disk needs about twice the package's size for a
    /// moment. The setup file must be a file in the folder (no `..`, no absolute path). A
    /// link in the folder is followed when it leads to a file inside the folder; one that
    /// leads outside it, or to a folder, is [`PackageError::BadSource`], naming it.
    pub fn pack(
        folder: impl AsRef<Path>,
        setup_file: &str,
        output: impl AsRef<Path>,
    ) -> Result<Self, PackageError> {
        let folder = folder.as_ref();
        let output = output.as_ref();
        let setup_file = relative_setup_file(setup_file)?;
        let root = folder.canonicalize().map_err(io(folder))?;
        let mut files = Vec::new();
        collect_files(&root, &root, &mut files)?;
        files.sort();
        if !files.iter().any(|(name, _)| *name == setup_file) {
            return Err(PackageError::BadSource {
                reason: format!(
                    "the setup file `{setup_file}` is not a file in {}",
                    folder.display()
                ),
            });
        }
        let plain = TempFile::beside(output, "zip")?;
        zip_folder(&files, plain.path())?;
        let cipher = TempFile::beside(output, "encrypted")?;
        let (plain_len, encryption) = encrypt_file(plain.path(), cipher.path())?;
        drop(plain);
        let detection = detection_for(&setup_file, plain_len, encryption);
        write_package_file(output, cipher.path(), &detection)?;
        Self::open(output)
    }
}

/// Detection.xml, read to at most [`MAX_DETECTION_BYTES`] whatever the zip declares.
fn read_detection<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> Result<Detection, PackageError> {
    let entry = archive
        .by_name(DETECTION_PATH)
        .map_err(|_| PackageError::MissingDetection)?;
    let bad = |reason: String| PackageError::BadDetection { reason };
    let mut bytes = Vec::new();
    entry
        .take(MAX_DETECTION_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("cannot be read: {e}")))?;
    if bytes.len() as u64 > MAX_DETECTION_BYTES {
        return Err(bad(format!(
            "it is larger than {MAX_DETECTION_BYTES} bytes; IntuneWinAppUtil writes about 1 KB"
        )));
    }
    let xml =
        String::from_utf8(bytes).map_err(|e| bad(format!("cannot be read as UTF-8 text: {e}")))?;
    Detection::parse(xml.trim_start_matches('\u{feff}'))
}

/// The setup file as the package names it: relative, with `/`, inside the folder.
fn relative_setup_file(setup_file: &str) -> Result<String, PackageError> {
    let relative = setup_file.replace('\\', "/");
    let refused = |why: &str| PackageError::BadSource {
        reason: format!(
            "the setup file `{setup_file}` {why}: give a path relative to the folder, inside it"
        ),
    };
    if relative.is_empty() {
        return Err(refused("is empty"));
    }
    let has_drive = relative.as_bytes().get(1) == Some(&b':');
    if relative.starts_with('/') || has_drive {
        return Err(refused("is an absolute path"));
    }
    let parts: Vec<&str> = relative
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return Err(refused("leads out of the folder (`..`)"));
    }
    Ok(parts.join("/"))
}

/// The package's Detection.xml for a content of `plain_len` bytes.
fn detection_for(setup_file: &str, plain_len: u64, encryption: EncryptionInfo) -> Detection {
    let name = setup_file
        .rsplit('/')
        .next()
        .unwrap_or(setup_file)
        .to_owned();
    Detection {
        name,
        unencrypted_content_size: plain_len,
        file_name: CONTENT_FILE.into(),
        setup_file: setup_file.to_owned(),
        encryption,
    }
}

/// A file beside the output, removed when dropped (the packing's intermediate steps).
struct TempFile {
    path: PathBuf,
}

impl TempFile {
    fn beside(output: &Path, what: &str) -> Result<Self, PackageError> {
        let name = output
            .file_name()
            .map_or_else(|| "package".into(), |n| n.to_string_lossy().into_owned());
        let path = output.with_file_name(format!(
            ".{name}.{what}.{}-{:08x}.partial",
            std::process::id(),
            random_suffix()
        ));
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io(&path))?;
        Ok(Self { path })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A random suffix for a temporary name (collisions are refused by `create_new` anyway).
fn random_suffix() -> u32 {
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    u32::from_le_bytes(bytes)
}

/// The files as a deflated zip at `out`, in the order given, streamed file by file.
fn zip_folder(files: &[(String, PathBuf)], out: &Path) -> Result<(), PackageError> {
    let file = std::fs::File::create(out).map_err(io(out))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    // Deflate's fastest level: installers are mostly compressed already, and the default
    // level spent most of the packing time for a few percent of size.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    for (relative, path) in files {
        let mut source = std::fs::File::open(path).map_err(io(path))?;
        zip.start_file(relative.as_str(), options)
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
        .and_then(|mut w| w.flush().map_err(Into::into))
        .map_err(|e| PackageError::Io {
            path: out.to_owned(),
            source: std::io::Error::other(e),
        })
}

/// Encrypts the file at `plain` into `out` (IV and ciphertext): its size and the encryption
/// info.
fn encrypt_file(plain: &Path, out: &Path) -> Result<(u64, EncryptionInfo), PackageError> {
    let source = std::fs::File::open(plain).map_err(io(plain))?;
    let plain_len = source.metadata().map_err(io(plain))?.len();
    let mut target = std::io::BufWriter::new(std::fs::File::create(out).map_err(io(out))?);
    let info = encrypt_stream(std::io::BufReader::new(source), plain_len, &mut target)
        .and_then(|info| target.flush().map(|()| info))
        .map_err(io(out))?;
    Ok((plain_len, info))
}

/// The package's zip at `output`, as IntuneWinAppUtil lays it out: the encrypted content
/// stored (the MAC, then the IV and ciphertext streamed from `cipher`), then Detection.xml
/// deflated.
fn write_package_file(
    output: &Path,
    cipher: &Path,
    detection: &Detection,
) -> Result<(), PackageError> {
    let failed = |e: zip::result::ZipError| PackageError::Io {
        path: output.to_owned(),
        source: std::io::Error::other(e),
    };
    let mut ciphertext = std::fs::File::open(cipher).map_err(io(cipher))?;
    let file = std::fs::File::create(output).map_err(io(output))?;
    let mut zip = start_package(std::io::BufWriter::new(file), detection).map_err(failed)?;
    std::io::copy(&mut ciphertext, &mut zip).map_err(io(output))?;
    finish_package(zip, detection)
        .and_then(|mut w| w.flush().map_err(Into::into))
        .map_err(failed)
}

/// Opens the package's zip and its content entry, writing the content's MAC: the IV and the
/// ciphertext follow.
fn start_package<W: Write + Seek>(
    writer: W,
    detection: &Detection,
) -> zip::result::ZipResult<zip::ZipWriter<W>> {
    let mut zip = zip::ZipWriter::new(writer);
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(detection.encrypted_size() >= u64::from(u32::MAX));
    zip.start_file(format!("{CONTENTS_DIR}{CONTENT_FILE}"), stored)?;
    zip.write_all(&detection.encryption.mac)?;
    Ok(zip)
}

/// Detection.xml, deflated, and the zip's end.
fn finish_package<W: Write + Seek>(
    mut zip: zip::ZipWriter<W>,
    detection: &Detection,
) -> zip::result::ZipResult<W> {
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(DETECTION_PATH, deflated)?;
    zip.write_all(detection.to_xml().as_bytes())?;
    zip.finish()
}

/// Files in `dir` (below `root`, both canonical) as (name relative to `root` with `/`, path).
/// A link is followed when it leads to a file inside `root`; one leading outside it, or to a
/// folder, is refused by name (packing it silently, or leaving it out, would both surprise).
fn collect_files(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), PackageError> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io(&path))?;
        let relative = || {
            path.strip_prefix(root)
                .map(|p| {
                    p.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .map_err(|_| PackageError::BadSource {
                    reason: format!("{} is outside the folder", path.display()),
                })
        };
        if kind.is_dir() {
            collect_files(root, &path, out)?;
        } else if kind.is_file() {
            out.push((relative()?, path.clone()));
        } else if kind.is_symlink() {
            let target = path.canonicalize().map_err(|e| PackageError::BadSource {
                reason: format!("the link {} leads nowhere: {e}", path.display()),
            })?;
            if !target.starts_with(root) {
                return Err(PackageError::BadSource {
                    reason: format!(
                        "the link {} leads outside the folder, to {}: copy the file in instead",
                        path.display(),
                        target.display()
                    ),
                });
            }
            if !target.is_file() {
                return Err(PackageError::BadSource {
                    reason: format!(
                        "the link {} leads to a folder: links to folders are not followed",
                        path.display()
                    ),
                });
            }
            out.push((relative()?, target));
        } else {
            return Err(PackageError::BadSource {
                reason: format!(
                    "{} is neither a file nor a folder (a FIFO, socket or device)",
                    path.display()
                ),
            });
        }
    }
    Ok(())
}

/// A package made in memory from `files` (name, bytes) with `setup_file` among them: for
/// tests and benchmarks that need one without a folder.
pub fn pack_in_memory(files: &[(&str, &[u8])], setup_file: &str) -> Result<Vec<u8>, PackageError> {
    let bad = |e: &dyn fmt::Display| PackageError::BadSource {
        reason: e.to_string(),
    };
    let setup_file = relative_setup_file(setup_file)?;
    let mut inner = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    for (name, bytes) in files {
        inner
            .start_file(*name, options)
            .and_then(|()| inner.write_all(bytes).map_err(Into::into))
            .map_err(|e| bad(&e))?;
    }
    let plain = inner.finish().map_err(|e| bad(&e))?.into_inner();
    let (encrypted, encryption) = encrypt_in_memory(&plain).map_err(|e| bad(&e))?;
    let detection = detection_for(&setup_file, plain.len() as u64, encryption);
    let mut zip =
        start_package(std::io::Cursor::new(Vec::new()), &detection).map_err(|e| bad(&e))?;
    // The MAC is written by `start_package`: the IV and ciphertext follow it.
    zip.write_all(&encrypted[super::encryption::MAC_LEN..])
        .map_err(|e| bad(&e))?;
    finish_package(zip, &detection)
        .map(std::io::Cursor::into_inner)
        .map_err(|e| bad(&e))
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
