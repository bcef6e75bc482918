//! One cached build as one tar object in the remote cache, and back.

use std::path::Path;

use super::sign::{self, Pointer};
use super::{Object, RemoteCache, RemoteError};
use crate::cache::entry::{
    archive_name, is_archive_member, BUILDS_DIR, FILES_DIR, LOG_FILE, RECORD_FILE,
};
use crate::cache::{BuildRecord, Cache, CacheLock, CachedBuild};
use crate::fsutil;
use crate::key::BuildKey;
use crate::relpath::NormalPath;

/// The pointer object: the sha256 of the published tar of build `key`.
pub fn pointer_name(key: &BuildKey) -> String {
    format!("builds/{key}.sha256")
}

/// The tar of build `key` whose sha256 is `sha`.
pub fn blob_name(key: &BuildKey, sha: &str) -> String {
    format!("builds/{key}/{sha}.tar")
}

/// The most a pointer object may hold: a sha256 and a few signatures.
const MAX_POINTER: usize = 16 * 1024;

/// Upload the local cache's build `key`: the tar under its content name, then
/// the pointer (signed when a signing key is set).
///
/// The local output is checked against its record first: a corrupt local
/// entry is never shared.
pub fn upload_build(
    remote: &RemoteCache,
    cache: &Cache,
    key: &BuildKey,
) -> Result<(), RemoteError> {
    let entry = cache.entry(key);
    let record = entry
        .record(key)
        .map_err(|e| remote.local("read the build", e))?;
    entry
        .check(&record)
        .map_err(|e| remote.local(&format!("upload build {key}"), e))?;
    let tar = pack(&entry, &record).map_err(|e| remote.local("pack the build", e))?;
    let sha = fsutil::sha256_bytes(&tar);
    remote.put(&blob_name(key, &sha), tar)?;
    let signatures: Vec<String> = remote
        .signing_key()
        .map(|k| k.sign(key, &sha))
        .into_iter()
        .collect();
    remote.put(
        &pointer_name(key),
        sign::pointer_text(&sha, &signatures).into_bytes(),
    )?;
    remote.with_stats(|s| s.builds_up += 1);
    Ok(())
}

/// Fetch the pointers of `keys`, then the tars they name, with overlapping
/// transfers, so that [`download_build`] finds them in memory.
pub fn prefetch_builds(remote: &RemoteCache, keys: &[&BuildKey]) {
    let pointers: Vec<String> = keys.iter().map(|key| pointer_name(key)).collect();
    remote.prefetch(&pointers);
    let blobs: Vec<String> = keys
        .iter()
        .filter_map(|key| {
            let text = remote.prefetched_head(&pointer_name(key), MAX_POINTER)?;
            let pointer = Pointer::parse(&String::from_utf8_lossy(&text));
            trusted(remote, key, &pointer).then(|| blob_name(key, &pointer.sha))
        })
        .collect();
    remote.prefetch(&blobs);
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether the pointer names a sha256 and, when trusted keys are set, is signed by one.
fn trusted(remote: &RemoteCache, key: &BuildKey, pointer: &Pointer) -> bool {
    is_sha256(&pointer.sha)
        && (remote.trusted_keys().is_empty()
            || pointer.signed_by(key, remote.trusted_keys()).is_some())
}

/// The pointer of build `key`, read and checked: its sha256 and, with trusted keys, its signature.
fn read_pointer(
    remote: &RemoteCache,
    key: &BuildKey,
    object: &Object,
) -> Result<Pointer, RemoteError> {
    let name = pointer_name(key);
    if object.len() > MAX_POINTER as u64 {
        return Err(remote.corrupt(
            &name,
            format!(
                "has {} bytes; a pointer is a sha256 and signatures",
                object.len()
            ),
        ));
    }
    let text = object
        .bytes()
        .map_err(|e| remote.local("read the pointer", e))?;
    let pointer = Pointer::parse(&String::from_utf8_lossy(&text));
    if !is_sha256(&pointer.sha) {
        return Err(remote.corrupt(&name, "is not a sha256"));
    }
    if !remote.trusted_keys().is_empty() && pointer.signed_by(key, remote.trusted_keys()).is_none()
    {
        return Err(remote.untrusted(&name, pointer.is_signed()));
    }
    Ok(pointer)
}

/// Download build `key` into the local cache; `Ok(false)` when the remote has none.
///
/// The tar must have the sha256 its pointer names, hold only the files of this
/// key's entry (see [`crate::cache::entry`]), and every file must match the
/// record, before the output is moved into the cache in one rename.
pub fn download_build(
    remote: &RemoteCache,
    cache: &Cache,
    lock: &CacheLock,
    key: &BuildKey,
) -> Result<bool, RemoteError> {
    let pointer = pointer_name(key);
    let Some(object) = remote.get(&pointer)? else {
        return Ok(false);
    };
    let sha = read_pointer(remote, key, &object)?.sha;
    let name = blob_name(key, &sha);
    let tar = remote
        .get(&name)?
        .ok_or_else(|| remote.corrupt(&pointer, format!("names {name}, which is missing")))?;
    let found = sha256_of(&tar).map_err(|e| remote.local("read the download", e))?;
    if found != sha {
        return Err(remote.corrupt(&name, format!("has sha256 {found}, not {sha}")));
    }
    let scratch = cache
        .scratch(lock)
        .map_err(|e| remote.local("make a scratch folder", e))?;
    let reader = tar
        .reader()
        .map_err(|e| remote.local("read the download", e))?;
    unpack(reader, scratch.path(), key).map_err(|e| remote.rejected(&name, &e))?;
    let entry = CachedBuild::under(scratch.path(), key);
    let record = entry.record(key).map_err(|e| remote.rejected(&name, &e))?;
    entry
        .check(&record)
        .map_err(|e| remote.rejected(&name, &e))?;
    cache
        .adopt(lock, &entry, key)
        .map_err(|e| remote.local(&format!("add build {key}"), e))?;
    cache.touch_build(key);
    remote.with_stats(|s| s.builds_down += 1);
    Ok(true)
}

/// The sha256 of a downloaded object, read as a stream.
fn sha256_of(object: &Object) -> std::io::Result<String> {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    std::io::copy(&mut object.reader()?, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// A tar that depends only on the output: sorted entries, owner 0, mode 0644, time 0.
fn pack(entry: &CachedBuild, record: &BuildRecord) -> std::io::Result<Vec<u8>> {
    let key = &record.key;
    let mut tar = tar::Builder::new(Vec::new());
    let mut add = |name: String, bytes: Vec<u8>| {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        tar.append_data(&mut header, name, bytes.as_slice())
    };
    add(
        archive_name(key, RECORD_FILE),
        std::fs::read(entry.record_path())?,
    )?;
    for file in &record.files {
        let bytes = std::fs::read(entry.files_dir().join(&file.path))?;
        add(
            archive_name(key, &format!("{FILES_DIR}/{}", file.path)),
            bytes,
        )?;
    }
    tar.into_inner()
}

/// Why a build's tar from the remote was not unpacked.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    /// The tar stream cannot be read.
    #[error(transparent)]
    Read(std::io::Error),
    /// An entry is of a refused kind or at a refused path.
    #[error(transparent)]
    Entry(#[from] crate::archive::EntryError),
    /// A file that is not part of the build's entry.
    #[error(
        "`{path}` is not a file of build {key} ({BUILDS_DIR}/{key}/{RECORD_FILE}, {LOG_FILE} or {FILES_DIR}/…)"
    )]
    Foreign {
        /// The entry's path.
        path: NormalPath,
        /// The build the tar is for.
        key: BuildKey,
    },
    /// An entry could not be written.
    #[error("{name}: {source}")]
    Write {
        /// The entry's name.
        name: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An entry would land outside the scratch folder.
    #[error("entry {0} points outside the tar")]
    Outside(String),
}

/// Unpack `tar` into `scratch`, refusing anything but the files of build `key`'s entry.
fn unpack(tar: impl std::io::Read, scratch: &Path, key: &BuildKey) -> Result<(), UnpackError> {
    let mut archive = tar::Archive::new(tar);
    for entry in archive.entries().map_err(UnpackError::Read)? {
        let mut entry = entry.map_err(UnpackError::Read)?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        crate::archive::check_entry(entry.header().entry_type(), &name, "a bundle")?;
        let path = NormalPath::parse(name.trim_end_matches('/'))
            .map_err(crate::archive::EntryError::from)?;
        let parts: Vec<&str> = path.parts().collect();
        if entry.header().entry_type().is_file()
            && !is_archive_member(&parts, std::slice::from_ref(key))
        {
            return Err(UnpackError::Foreign {
                path,
                key: key.clone(),
            });
        }
        let inside = entry
            .unpack_in(scratch)
            .map_err(|source| UnpackError::Write {
                name: name.clone(),
                source,
            })?;
        if !inside {
            return Err(UnpackError::Outside(name));
        }
    }
    Ok(())
}
