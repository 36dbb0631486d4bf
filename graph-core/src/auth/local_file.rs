//! Small secret files a credential reads (a federated token, an Azure Arc key, a certificate),
//! read so that a hostile one cannot hurt: only a regular file, opened without blocking, and
//! never more than a bound, whatever its size says.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::AuthError;

/// Reads `path` as UTF-8 text of at most `limit` bytes. `what` names the file in errors ("the
/// federated token file").
///
/// - Only a regular file (or a link to one) is read. The file is opened without blocking, so a
///   FIFO with no writer is refused at once instead of holding a thread until a deadline; a
///   device (`/dev/zero`) or a folder is refused too.
/// - At most `limit + 1` bytes are read, so a file that grows while it is read, or whose size
///   says 0, cannot make the client hold more.
pub(crate) fn read_small_file(path: &Path, limit: u64, what: &str) -> Result<String, AuthError> {
    let fail = |reason: String| AuthError::new(format!("{what} {} {reason}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(nix::libc::O_NONBLOCK);
    }
    let file = options
        .open(path)
        .map_err(|e| fail(format!("cannot be read: {e}")))?;
    // The kind of what was opened, not of what the path named a moment before.
    let kind = file
        .metadata()
        .map_err(|e| fail(format!("cannot be read: {e}")))?
        .file_type();
    if !kind.is_file() {
        return Err(fail(format!(
            "is not a regular file (it is {}): refused",
            describe(kind)
        )));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot be read: {e}")))?;
    if bytes.len() as u64 > limit {
        zeroize::Zeroize::zeroize(&mut bytes);
        return Err(fail(format!(
            "holds more than {limit} bytes, the most it can take: refused"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let mut bytes = e.into_bytes();
        zeroize::Zeroize::zeroize(&mut bytes);
        fail("is not UTF-8 text".into())
    })
}

/// [`read_small_file`] on a blocking thread, for a credential's future.
pub(crate) async fn read_small_file_async(
    path: PathBuf,
    limit: u64,
    what: &'static str,
) -> Result<String, AuthError> {
    tokio::task::spawn_blocking(move || read_small_file(&path, limit, what))
        .await
        .map_err(|e| AuthError::new(format!("{what} could not be read: {e}")))?
}

fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "graphwire-local-file-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_small_regular_file_is_read_and_a_larger_one_refused() {
        let dir = temp_dir("sizes");
        let file = dir.join("token");
        std::fs::write(&file, "abc\n").unwrap();
        assert_eq!(
            read_small_file(&file, 4, "the token file").unwrap(),
            "abc\n"
        );
        let error = read_small_file(&file, 3, "the token file").unwrap_err();
        assert_eq!(
            error.message,
            format!(
                "the token file {} holds more than 3 bytes, the most it can take: refused",
                file.display()
            )
        );
        std::fs::write(&file, b"\xff\xfe").unwrap();
        let error = read_small_file(&file, 3, "the token file").unwrap_err();
        assert_eq!(
            error.message,
            format!("the token file {} is not UTF-8 text", file.display())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_that_never_ends_is_refused_without_reading() {
        // Its size says 0 and it never ends: read to the end, it grew the process to 1.5 GiB.
        let error =
            read_small_file(Path::new("/dev/zero"), 64 * 1024, "the token file").unwrap_err();
        assert_eq!(
            error.message,
            "the token file /dev/zero is not a regular file (it is a device): refused"
        );
        let error = read_small_file(Path::new("/"), 10, "the key file").unwrap_err();
        assert_eq!(
            error.message,
            "the key file / is not a regular file (it is a folder): refused"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_with_no_writer_is_refused_at_once() {
        let dir = temp_dir("fifo");
        let fifo = dir.join("token");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Opened for reading without O_NONBLOCK, this blocks until a writer comes: read on a
        // thread of its own, so that a regression fails the test instead of hanging it.
        let (answer, answered) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || {
            let _ = answer.send(read_small_file(&path, 64, "the token file"));
        });
        let error = answered
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the FIFO blocked the read")
            .unwrap_err();
        assert_eq!(
            error.message,
            format!(
                "the token file {} is not a regular file (it is a FIFO): refused",
                fifo.display()
            )
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
