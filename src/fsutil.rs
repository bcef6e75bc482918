//! Small file-system helpers shared by the cache, the prefix and the builders.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Names of this tool's temporary files: a run killed mid-write leaves them,
/// and the next run that holds the folder's lock removes them.
pub const TEMP_PREFIX: &str = ".wasi-externals-tmp-";

/// A temporary file in `dir`, named with [`TEMP_PREFIX`].
pub fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
}

/// Remove this tool's temporary files below `root` (callers hold its lock); how many went.
pub fn remove_temp_files(root: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            removed += remove_temp_files(&entry.path())?;
        } else if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Replace `path` with `bytes` so that readers see the old or the new file, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut file = temp_file_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Flush a folder's entries (names created, renamed or removed in it) to disk,
/// so that a rename that commits a change survives a power loss, not only a crash.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Whether `path` can stand unquoted in `CC`, `CFLAGS`, a Makefile or configure:
/// ASCII letters, digits and `/._+,:@%=~-` only.
pub fn is_tool_safe(path: &Path) -> bool {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"/._+,:@%=~-".contains(&b))
}

/// Hex sha256 of a file's content.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path)?;
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// Which side of a copy failed.
#[derive(Debug)]
pub enum CopyError {
    /// Reading the source (missing, unreadable).
    Read(std::io::Error),
    /// Writing the destination.
    Write(std::io::Error),
}

/// Copy `from` into `to` (content and permissions) and return the hex sha256 of what was copied.
pub fn copy_hashing(from: &Path, to: &mut std::fs::File) -> Result<String, CopyError> {
    let mut source = std::fs::File::open(from).map_err(CopyError::Read)?;
    let permissions = source.metadata().map_err(CopyError::Read)?.permissions();
    to.set_permissions(permissions).map_err(CopyError::Write)?;
    let (_, sha256) = stream_hashing(&mut source, to, |_| {})?;
    to.flush().map_err(CopyError::Write)?;
    Ok(sha256)
}

/// Copy everything `from` gives into `to`, calling `progress` with the bytes
/// copied so far after each chunk; (bytes, hex sha256) of what was copied.
pub fn stream_hashing(
    from: &mut impl std::io::Read,
    to: &mut impl Write,
    mut progress: impl FnMut(u64),
) -> Result<(u64, String), CopyError> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(CopyError::Read(err)),
        };
        hasher.update(&buffer[..n]);
        to.write_all(&buffer[..n]).map_err(CopyError::Write)?;
        bytes += n as u64;
        progress(bytes);
    }
    Ok((bytes, hex::encode(hasher.finalize())))
}

/// Hex sha256 of bytes.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Every regular file and symlink below `root`, as sorted paths relative to it.
pub fn list_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                walk(root, &path, out)?;
            } else {
                out.push(path.strip_prefix(root).expect("below root").to_owned());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    if root.exists() {
        walk(root, root, &mut out)?;
    }
    out.sort();
    Ok(out)
}

/// Give every file and folder below `root` the same modification time.
///
/// A git checkout stamps files in no particular order, and autotools then
/// believes `configure.ac` is newer than `aclocal.m4` and tries to rerun automake.
pub fn set_all_mtimes(root: &Path, unix_seconds: i64) -> std::io::Result<()> {
    let time = filetime::FileTime::from_unix_time(unix_seconds, 0);
    fn walk(dir: &Path, time: filetime::FileTime) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(&entry.path(), time)?;
            }
            if !kind.is_symlink() {
                filetime::set_file_times(entry.path(), time, time)?;
            }
        }
        Ok(())
    }
    walk(root, time)?;
    filetime::set_file_times(root, time, time)
}

/// Bytes available to this user on the file system holding `path` (statvfs).
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `c_path` is a valid C string and `stat` points to writable memory of the right type.
    if unsafe { libc::statvfs(c_path.as_ptr(), stat.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: statvfs returned 0, so it filled `stat`.
    let stat = unsafe { stat.assume_init() };
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    Ok(stat.f_bavail as u64 * stat.f_frsize as u64)
}

/// An exclusive advisory lock on a file, released on drop (or when the process dies).
pub struct FileLock {
    _file: std::fs::File,
}

impl FileLock {
    /// Lock `path`, waiting (and saying so through `on_wait`) while another process holds it.
    pub fn acquire(path: &Path, on_wait: impl FnOnce()) -> std::io::Result<FileLock> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock()?;
            }
            Err(std::fs::TryLockError::Error(err)) => return Err(err),
        }
        Ok(FileLock { _file: file })
    }
}
