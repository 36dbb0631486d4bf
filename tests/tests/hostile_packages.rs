//! `.intunewin` packages and folders made to hurt the reader and the packer: sizes the zip
//! declares but does not hold, entries that inflate far past what they declare, setup files
//! outside the folder and links out of it. Each is made in the test, in a few kilobytes.

use std::io::Write;
use std::path::{Path, PathBuf};

use graphwire_intune::win32::{self, IntuneWinPackage, PackageError};

const CONTENT: &str = "IntuneWinPackage/Contents/IntunePackage.intunewin";
const DETECTION: &str = "IntuneWinPackage/Metadata/Detection.xml";
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
const TIB: u64 = 1 << 40;

/// One entry of a zip written by hand: its bytes as stored (compressed or not) and the sizes
/// it declares, which need not be true.
struct Entry<'a> {
    name: &'a str,
    method: u16,
    data: &'a [u8],
    declared_size: u64,
}

/// A zip of `entries`, every size in a zip64 extra field (so any size can be declared).
fn raw_zip(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let offset = out.len() as u64;
        let mut crc = flate2::Crc::new();
        crc.update(entry.data);
        let header = |signature: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&signature.to_le_bytes());
            if central {
                h.extend_from_slice(&45u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&45u16.to_le_bytes()); // needed: zip64
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&entry.method.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // time
            h.extend_from_slice(&0x21u16.to_le_bytes()); // 1980-01-01
            h.extend_from_slice(&crc.sum().to_le_bytes());
            h.extend_from_slice(&u32::MAX.to_le_bytes()); // compressed: in zip64
            h.extend_from_slice(&u32::MAX.to_le_bytes()); // uncompressed: in zip64
            h.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
            let extra_len: u16 = if central { 28 } else { 20 };
            h.extend_from_slice(&extra_len.to_le_bytes());
            if central {
                h.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
                h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
                h.extend_from_slice(&u32::MAX.to_le_bytes()); // offset: in zip64
            }
            h.extend_from_slice(entry.name.as_bytes());
            h.extend_from_slice(&1u16.to_le_bytes());
            h.extend_from_slice(&(extra_len - 4).to_le_bytes());
            h.extend_from_slice(&entry.declared_size.to_le_bytes());
            h.extend_from_slice(&(entry.data.len() as u64).to_le_bytes());
            if central {
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h
        };
        out.extend_from_slice(&header(0x0403_4b50, false));
        out.extend_from_slice(entry.data);
        central.extend_from_slice(&header(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A package of `detection` (stored) and a content entry of `data`, declaring `declared_size`.
fn with_content(detection: &str, method: u16, data: &[u8], declared_size: u64) -> Vec<u8> {
    raw_zip(&[
        Entry {
            name: DETECTION,
            method: STORED,
            data: detection.as_bytes(),
            declared_size: detection.len() as u64,
        },
        Entry {
            name: CONTENT,
            method,
            data,
            declared_size,
        },
    ])
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A real package's Detection.xml, saying the content is `unencrypted` bytes.
fn detection_for(unencrypted: u64) -> String {
    let real = win32::pack_in_memory(&[("setup.cmd", b"echo")], "setup.cmd").unwrap();
    let mut detection = IntuneWinPackage::from_bytes(real)
        .unwrap()
        .detection()
        .clone();
    detection.unencrypted_content_size = unencrypted;
    detection.to_xml()
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "graphwire-hostile-package-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Opens `bytes` both ways: from a file and from memory; the two errors' texts.
fn open_both(bytes: &[u8], dir: &Path) -> (String, String) {
    let path = dir.join("hostile.intunewin");
    std::fs::write(&path, bytes).unwrap();
    (
        IntuneWinPackage::open(&path).unwrap_err().to_string(),
        IntuneWinPackage::from_bytes(bytes.to_vec())
            .unwrap_err()
            .to_string(),
    )
}

#[test]
fn a_content_declared_as_a_tebibyte_is_refused_without_allocating_it() {
    let dir = scratch_dir("tebibyte");
    // Detection.xml's size makes exactly 1 TiB encrypted (HMAC, IV, padded blocks).
    let detection = detection_for(TIB - 64);
    let filler = [0u8; 100];
    for method in [DEFLATED, STORED] {
        let package = with_content(&detection, method, &filler, TIB);
        // Under 2 KB: before, `Vec::with_capacity(1 TiB)` aborted the process.
        assert!(package.len() < 2048, "{}", package.len());
        let (from_file, from_bytes) = open_both(&package, &dir);
        let expected = if method == DEFLATED {
            format!(
                "not a .intunewin package (expected a zip made by IntuneWinAppUtil): {CONTENT} is compressed and says it inflates to {TIB} bytes from 100: encrypted content does not compress, and IntuneWinAppUtil stores it uncompressed (a compressed content is read into memory, up to 536870912 bytes)"
            )
        } else {
            let offset = 30 + DETECTION.len() + 20 + detection.len() + 30 + CONTENT.len() + 20;
            format!(
                "not a .intunewin package (expected a zip made by IntuneWinAppUtil): {CONTENT} says it holds {TIB} bytes from offset {offset}, past the end of the {}-byte package",
                package.len()
            )
        };
        assert_eq!(from_file, expected);
        assert_eq!(from_bytes, expected);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_detection_xml_bomb_is_read_only_to_its_bound() {
    let dir = scratch_dir("detection-bomb");
    // 64 MiB of spaces deflate to under 128 KB; before, a 1 GiB one was inflated whole (1 GiB
    // held, 190 s), even where the entry declared 2,000 bytes.
    let bomb = deflate(&vec![b' '; 64 << 20]);
    assert!(bomb.len() < 128 * 1024, "{}", bomb.len());
    let expected = format!(
        "{DETECTION} is not usable: it is larger than 262144 bytes; IntuneWinAppUtil writes about 1 KB"
    );
    for declared_size in [64 << 20, 2_000] {
        let package = raw_zip(&[Entry {
            name: DETECTION,
            method: DEFLATED,
            data: &bomb,
            declared_size,
        }]);
        let (from_file, from_bytes) = open_both(&package, &dir);
        assert_eq!(from_file, expected, "declared {declared_size}");
        assert_eq!(from_bytes, expected, "declared {declared_size}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_content_that_inflates_past_its_declared_size_is_cut_at_the_bound() {
    let dir = scratch_dir("content-bomb");
    let detection = detection_for(0);
    // The entry declares the 64 bytes Detection.xml makes, then inflates to 64 MiB: before,
    // such a content was read whole (1 MB on disk became 1,037 MiB held by `open`).
    let bomb = deflate(&vec![0u8; 64 << 20]);
    let package = with_content(&detection, DEFLATED, &bomb, 64);
    let (from_file, from_bytes) = open_both(&package, &dir);
    let expected = format!(
        "not a .intunewin package (expected a zip made by IntuneWinAppUtil): {CONTENT} inflates to more than 64 bytes, not the 64 its entry declares"
    );
    assert_eq!(from_file, expected);
    assert_eq!(from_bytes, expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pack_takes_its_setup_file_only_from_inside_the_folder() {
    let dir = scratch_dir("pack-setup");
    let folder = dir.join("app");
    std::fs::create_dir_all(folder.join("bin")).unwrap();
    std::fs::write(folder.join("bin/setup.cmd"), "echo install").unwrap();
    std::fs::write(dir.join("outside.cmd"), "echo outside").unwrap();
    let output = dir.join("app.intunewin");
    for (setup, why) in [
        ("../outside.cmd", "leads out of the folder (`..`)"),
        ("bin/../../outside.cmd", "leads out of the folder (`..`)"),
        ("/etc/hostname", "is an absolute path"),
        ("C:\\setup.exe", "is an absolute path"),
        ("", "is empty"),
    ] {
        let error = IntuneWinPackage::pack(&folder, setup, &output).unwrap_err();
        assert!(matches!(error, PackageError::BadSource { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!(
                "cannot pack: the setup file `{setup}` {why}: give a path relative to the folder, inside it"
            )
        );
        // Before, such a package was written, its Detection.xml naming a file it lacks.
        assert!(!output.exists(), "{setup}: a package was written");
    }
    let missing = IntuneWinPackage::pack(&folder, "setup.cmd", &output).unwrap_err();
    assert_eq!(
        missing.to_string(),
        format!(
            "cannot pack: the setup file `setup.cmd` is not a file in {}",
            folder.display()
        )
    );
    // A Windows-style relative path is the same file.
    let package = IntuneWinPackage::pack(&folder, "bin\\setup.cmd", &output).unwrap();
    assert_eq!(package.detection().setup_file, "bin/setup.cmd");
    assert_eq!(package.detection().name, "setup.cmd");
    package.verify().unwrap();
    // Nothing is left beside the output but the package.
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["app", "app.intunewin", "outside.cmd"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn links_in_the_folder_are_followed_inside_it_and_refused_out_of_it() {
    let dir = scratch_dir("pack-links");
    let folder = dir.join("app");
    std::fs::create_dir_all(folder.join("real")).unwrap();
    std::fs::write(folder.join("real/setup.cmd"), "echo install").unwrap();
    let output = dir.join("app.intunewin");
    // A link to a file inside: packed under the link's name (so it can be the setup file).
    std::os::unix::fs::symlink(folder.join("real/setup.cmd"), folder.join("install.cmd")).unwrap();
    let package = IntuneWinPackage::pack(&folder, "install.cmd", &output).unwrap();
    assert_eq!(package.detection().setup_file, "install.cmd");
    package.verify().unwrap();
    // A link out of the folder: said, by name (before, it was skipped without a word).
    std::fs::write(dir.join("secret.txt"), "not for the package").unwrap();
    std::os::unix::fs::symlink(dir.join("secret.txt"), folder.join("notes.txt")).unwrap();
    let error =
        IntuneWinPackage::pack(&folder, "install.cmd", dir.join("b.intunewin")).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot pack: the link {} leads outside the folder, to {}: copy the file in instead",
            folder.canonicalize().unwrap().join("notes.txt").display(),
            dir.canonicalize().unwrap().join("secret.txt").display()
        )
    );
    std::fs::remove_file(folder.join("notes.txt")).unwrap();
    // A link to a folder (here, a loop back to the folder itself).
    std::os::unix::fs::symlink(&folder, folder.join("again")).unwrap();
    let error =
        IntuneWinPackage::pack(&folder, "install.cmd", dir.join("c.intunewin")).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot pack: the link {} leads to a folder: links to folders are not followed",
            folder.canonicalize().unwrap().join("again").display()
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}
