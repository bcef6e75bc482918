//! Writing a tree into a plain folder, without `.git`.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use gix::ObjectId;

use super::Cause;

pub(super) fn checkout_tree(
    repo: &gix::Repository,
    tree: ObjectId,
    dest: &Path,
    interrupt: &AtomicBool,
) -> Result<(), Cause> {
    let mut index = repo.index_from_tree(&tree)?;
    let mut options =
        repo.checkout_options(gix::worktree::stack::state::attributes::Source::IdMapping)?;
    options.destination_is_initially_empty = true;
    std::fs::create_dir_all(dest)?;
    let objects = repo.objects.clone().into_arc()?;
    let outcome = gix::worktree::state::checkout(
        &mut index,
        dest,
        objects,
        &gix::progress::Discard,
        &gix::progress::Discard,
        interrupt,
        options,
    )?;
    if let Some(failure) = outcome.errors.first() {
        return Err(format!("{}: {}", failure.path, failure.error).into());
    }
    if let Some(collision) = outcome.collisions.first() {
        return Err(format!("{} collides with another path", collision.path).into());
    }
    Ok(())
}
