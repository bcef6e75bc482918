//! One cached build as one tar object in the remote cache, and back.

use std::path::Path;

use super::{RemoteCache, RemoteError};
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

/// Upload the local cache's build `key`: the tar under its content name, then the pointer.
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
    remote.put(&pointer_name(key), format!("{sha}\n").into_bytes())?;
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
            let text = remote.prefetched(&pointer_name(key))?;
            let sha = String::from_utf8_lossy(&text).trim().to_owned();
            is_sha256(&sha).then(|| blob_name(key, &sha))
        })
        .collect();
    remote.prefetch(&blobs);
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
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
    let Some(text) = remote.get(&pointer)? else {
        return Ok(false);
    };
    let sha = String::from_utf8_lossy(&text).trim().to_owned();
    if !is_sha256(&sha) {
        return Err(remote.corrupt(&pointer, "is not a sha256"));
    }
    let name = blob_name(key, &sha);
    let tar = remote
        .get(&name)?
        .ok_or_else(|| remote.corrupt(&pointer, format!("names {name}, which is missing")))?;
    let found = fsutil::sha256_bytes(&tar);
    if found != sha {
        return Err(remote.corrupt(&name, format!("has sha256 {found}, not {sha}")));
    }
    let scratch = cache
        .scratch(lock)
        .map_err(|e| remote.local("make a scratch folder", e))?;
    unpack(&tar, scratch.path(), key).map_err(|problem| remote.corrupt(&name, problem))?;
    let entry = CachedBuild::under(scratch.path(), key);
    let record = entry
        .record(key)
        .map_err(|e| remote.corrupt(&name, e.to_string()))?;
    entry
        .check(&record)
        .map_err(|problem| remote.corrupt(&name, problem))?;
    cache
        .adopt(lock, &entry, key)
        .map_err(|e| remote.local(&format!("add build {key}"), e))?;
    cache.touch_build(key);
    remote.with_stats(|s| s.builds_down += 1);
    Ok(true)
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

/// Unpack `tar` into `scratch`, refusing anything but the files of build `key`'s entry.
fn unpack(tar: &[u8], scratch: &Path, key: &BuildKey) -> Result<(), String> {
    let mut archive = tar::Archive::new(tar);
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        crate::archive::check_entry(entry.header().entry_type(), &name, "a bundle")?;
        let path = NormalPath::parse(name.trim_end_matches('/')).map_err(|e| e.to_string())?;
        let parts: Vec<&str> = path.parts().collect();
        if entry.header().entry_type().is_file()
            && !is_archive_member(&parts, std::slice::from_ref(key))
        {
            return Err(format!(
                "`{path}` is not a file of build {key} ({BUILDS_DIR}/{key}/{RECORD_FILE}, {LOG_FILE} or {FILES_DIR}/…)"
            ));
        }
        if !entry
            .unpack_in(scratch)
            .map_err(|e| format!("{name}: {e}"))?
        {
            return Err(format!("entry {name} points outside the tar"));
        }
    }
    Ok(())
}
