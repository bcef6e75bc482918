//! Writing a tree into a plain folder, without `.git`.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use gix::ObjectId;

pub(super) fn checkout_tree(
    repo: &gix::Repository,
    tree: ObjectId,
    dest: &Path,
    interrupt: &AtomicBool,
) -> Result<(), String> {
    let mut index = repo.index_from_tree(&tree).map_err(|e| e.to_string())?;
    let mut options = repo
        .checkout_options(gix::worktree::stack::state::attributes::Source::IdMapping)
        .map_err(|e| e.to_string())?;
    options.destination_is_initially_empty = true;
    std::fs::create_dir_all(dest).map_err(|e| e.to_string())?;
    let objects = repo.objects.clone().into_arc().map_err(|e| e.to_string())?;
    let outcome = gix::worktree::state::checkout(
        &mut index,
        dest,
        objects,
        &gix::progress::Discard,
        &gix::progress::Discard,
        interrupt,
        options,
    )
    .map_err(|e| e.to_string())?;
    if let Some(failure) = outcome.errors.first() {
        return Err(format!("{}: {}", failure.path, failure.error));
    }
    if let Some(collision) = outcome.collisions.first() {
        return Err(format!("{} collides with another path", collision.path));
    }
    Ok(())
}
