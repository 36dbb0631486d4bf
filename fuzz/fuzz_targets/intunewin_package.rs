//! A `.intunewin` from an untrusted source: the zip, its Detection.xml and the content's sizes
//! are read and checked (`IntuneWinPackage::from_bytes`), and any Detection.xml text parsed;
//! every bad input is a `PackageError`, never a panic.
#![no_main]

use graphwire_intune::win32::{Detection, IntuneWinPackage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(package) = IntuneWinPackage::from_bytes(data.to_vec()) {
        let _ = package.verify();
        let _ = package.read_encrypted(0, 64);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Detection::parse(text);
    }
});
