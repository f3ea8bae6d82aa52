//! A tantivy directory that only reads, so an index can be served from a read-only folder (a
//! container image, a mounted volume).
//!
//! Opening a reader makes tantivy take its meta lock, which creates a lock file: that fails on a
//! read-only folder. A published generation is never written again (builds write a new
//! generation beside it), so readers need no lock at all: this wrapper grants locks without
//! touching the disk and refuses every write, which also proves that serving writes nothing.

use std::io;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

#[derive(Debug, Clone)]
pub(crate) struct ReadOnlyDirectory {
    inner: MmapDirectory,
}

impl ReadOnlyDirectory {
    pub(crate) fn open(path: &Path) -> tantivy::Result<ReadOnlyDirectory> {
        let inner = MmapDirectory::open(path)
            .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
        Ok(ReadOnlyDirectory { inner })
    }
}

fn refused() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "index generations are read-only once published",
    )
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(refused()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(refused()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(refused())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// Granted without a lock file: nothing ever writes a published generation.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    /// No watching: reloads are driven by the manifest, not by tantivy's meta file.
    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_read_only_directory_refuses_every_write_but_grants_locks() {
        let dir = tempfile::tempdir().unwrap();
        let directory = ReadOnlyDirectory::open(dir.path()).unwrap();
        let path = Path::new("new.file");
        assert!(directory.open_write(path).is_err());
        assert!(directory.atomic_write(path, b"x").is_err());
        assert!(directory.delete(path).is_err());
        let lock = Lock {
            filepath: ".tantivy-meta.lock".into(),
            is_blocking: true,
        };
        assert!(directory.acquire_lock(&lock).is_ok());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
