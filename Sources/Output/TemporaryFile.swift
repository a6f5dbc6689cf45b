import YAML

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file created beside its final path under a name no one else uses,
/// written through the descriptor that created it, then renamed over the
/// final path, or removed.
final class TemporaryFile {
  let path: String
  let mark: Mark
  private var descriptor: Int32

  /// The mode a new file gets (0666 less the umask), read once.
  static let mode: mode_t = {
    let mask = umask(0)
    umask(mask)
    return 0o666 & ~mask
  }()

  /// Created with the mode (and, where allowed, the owner) of the file it will
  /// replace, so that replacing a 0600 file does not make it readable to others.
  init(beside final: String, at mark: Mark) throws(Diagnostic) {
    self.mark = mark
    let directory = final.lastIndex(of: "/").map { String(final[..<$0]) } ?? "."
    var template = Array("\(directory.isEmpty ? "/" : directory)/.mrgen-XXXXXX".utf8CString)
    descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
    guard descriptor >= 0 else {
      throw Diagnostic(mark, "cannot create a file in '\(directory)': \(String(cString: strerror(errno)))")
    }
    path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var existing = stat()
    if lstat(final, &existing) == 0, existing.st_mode & S_IFMT == S_IFREG {
      fchmod(descriptor, existing.st_mode & 0o7777)
      _ = fchown(descriptor, existing.st_uid, existing.st_gid)
    } else {
      // mkstemp makes the file 0600; give it the mode a new file would have.
      fchmod(descriptor, TemporaryFile.mode)
    }
  }

  func write(_ bytes: [UInt8]) throws(Diagnostic) {
    do throws(OutputWriter.WriteError) {
      try OutputWriter.writeAll(descriptor, bytes)
    } catch {
      remove()
      throw Diagnostic(mark, "cannot write '\(path)': \(error.reason)")
    }
    // Some file systems (NFS, quotas) report a failed write only when the file is closed.
    let closed = close(descriptor)
    descriptor = -1
    if closed != 0 {
      let reason = String(cString: strerror(errno))
      remove()
      throw Diagnostic(mark, "cannot write '\(path)': \(reason)")
    }
  }

  func rename(to final: String) throws(Diagnostic) {
    guard systemRename(path, final) == 0 else {
      let reason = String(cString: strerror(errno))
      remove()
      throw Diagnostic(mark, "cannot write '\(final)': \(reason)")
    }
  }

  func remove() {
    if descriptor >= 0 {
      close(descriptor)
      descriptor = -1
    }
    unlink(path)
  }
}

// The C calls by other names, as the methods above shadow theirs.
