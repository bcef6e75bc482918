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
    walk(root, |path, kind| {
        let temp = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(TEMP_PREFIX));
        if !kind.is_dir() && temp {
            std::fs::remove_file(path)?;
            removed += 1;
        }
        Ok(())
    })?;
    Ok(removed)
}

/// Replace `path` with `bytes` so that readers see the old or the new file, never half of one.
///
/// Like `cp`, an existing file keeps its mode and a new one gets `0666` less
/// the umask (a temporary file alone would be `0600`, unreadable to a build
/// user when root or CI made the prefix). A symlink at `path` is replaced,
/// not followed: see [`write_through`] for files a user may link.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mode = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => Some(meta.permissions()),
        _ => None,
    };
    let mut file = new_file_in(dir)?;
    if let Some(mode) = mode {
        file.as_file().set_permissions(mode)?;
    }
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// A temporary file in `dir` created with mode `0666`, so the umask decides, as for `cp`.
pub fn new_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    use std::os::unix::fs::PermissionsExt;
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
}

/// [`write_atomically`] into the file a symlink at `path` points to (a
/// user's `deps.toml` linked from elsewhere stays a link, and its target is
/// what changes), keeping that file's mode.
pub fn write_through(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_owned(),
    };
    write_atomically(&target, bytes)
}

/// Where `path` really is: absolute, with every symlink of the part that
/// exists resolved and `..` of the part that does not yet exist removed.
/// Used to tell whether an output would land inside a folder.
pub fn resolve_path(path: &Path) -> std::io::Result<PathBuf> {
    use std::path::Component;
    let absolute = std::path::absolute(path)?;
    let mut head: Vec<Component> = absolute.components().collect();
    let mut tail = Vec::new();
    loop {
        let here: PathBuf = head.iter().collect();
        if let Ok(mut real) = here.canonicalize() {
            for part in tail.iter().rev() {
                match part {
                    Component::ParentDir => {
                        real.pop();
                    }
                    Component::Normal(name) => real.push(name),
                    _ => {}
                }
            }
            return Ok(real);
        }
        match head.pop() {
            Some(part) => tail.push(part),
            None => return Ok(absolute),
        }
    }
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

/// Visit every entry below `root` (not `root` itself), depth first, a folder's
/// entries before the folder; symlinks to folders are visited, not followed.
pub fn walk(
    root: &Path,
    mut visit: impl FnMut(&Path, std::fs::FileType) -> std::io::Result<()>,
) -> std::io::Result<()> {
    fn walk_in(
        dir: &Path,
        visit: &mut dyn FnMut(&Path, std::fs::FileType) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let (path, kind) = (entry.path(), entry.file_type()?);
            if kind.is_dir() {
                walk_in(&path, visit)?;
            }
            visit(&path, kind)?;
        }
        Ok(())
    }
    walk_in(root, &mut visit)
}

/// Every regular file and symlink below `root`, as sorted paths relative to it.
pub fn list_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if root.exists() {
        walk(root, |path, kind| {
            if let (false, Ok(rel)) = (kind.is_dir(), path.strip_prefix(root)) {
                out.push(rel.to_owned());
            }
            Ok(())
        })?;
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
    walk(root, |path, kind| {
        if kind.is_symlink() {
            return Ok(());
        }
        filetime::set_file_times(path, time, time)
    })?;
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
