//! Pack a folder as a `.intunewin`, as Microsoft's Windows-only IntuneWinAppUtil does, on any
//! OS: the zip, its AES-256-CBC encryption and HMAC, and Detection.xml. Memory stays flat
//! whatever the folder's size (BENCHMARKS.md measures 2 GB).
//!
//! ```text
//! cargo run --release -p graphwire-intune --features win32-apps --example pack_intunewin -- FOLDER SETUP_FILE OUTPUT
//! ```

use std::process::ExitCode;

use graphwire_intune::win32::IntuneWinPackage;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [folder, setup_file, output] = args.as_slice() else {
        eprintln!("usage: pack_intunewin FOLDER SETUP_FILE OUTPUT");
        return ExitCode::from(2);
    };
    match IntuneWinPackage::pack(folder, setup_file, output) {
        Ok(package) => {
            println!(
                "{output}: {} bytes encrypted, setup file {}",
                package.encrypted_size(),
                package.detection().setup_file
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
