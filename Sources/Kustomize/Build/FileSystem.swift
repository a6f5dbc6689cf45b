#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files a build may read. Reads only: the engine never writes, runs or fetches.
///
/// Every read fails closed: a path that cannot be resolved, that resolves
/// outside the allowed root, or that is not a regular file is refused, and the
/// file is checked again after it is opened.
public protocol FileSystem: Sendable {
  /// What is at `path`, symbolic links followed; a link that cannot be followed is `.special`.
  func kind(of path: String) -> FileKind
  /// The path with symbolic links and `..` resolved; an error when it does not exist or cannot be resolved.
  func realPath(_ path: String) throws(FileSystemError) -> String
  /// The bytes of the regular file at `path`, whose real location must lie in or below
  /// `root` (a real path); at most `limit` bytes, or `.tooLarge`.
  func readFile(_ path: String, within root: String, limit: Int) throws(FileSystemError) -> [UInt8]
}

public enum FileKind: Sendable, Equatable {
  case file, directory, missing
  /// A FIFO, device, socket or anything else that is neither a regular file nor a directory.
  case special(String)
}

/// Why a path could not be read.
public enum FileSystemError: Error, Sendable, Equatable {
  case missing
  /// The path exists (or may) but could not be resolved to a real location (too long, a loop, no permission).
  case unresolvable(String)
  case outside(realPath: String)
  case notRegular(FileKind)
  case tooLarge(limit: Int)
  case unreadable(String)
  /// The file changed between the check and the read (a link swapped, a file replaced).
  case changed

  /// The reason, phrased to follow "'entry' ".
  public var reason: String {
    switch self {
    case .missing: "does not exist"
    case .unresolvable(let why): "cannot be resolved to a real location (\(why)); mrgen reads only paths it can check"
    case .outside:
      "resolves to a location outside the kustomization's directory; a kustomization may only read files in or below its own directory"
    case .notRegular(let kind): "is \(kind.description), not a regular file; mrgen reads only regular files"
    case .tooLarge(let limit):
      "is larger than the limit of \(Limits.describe(bytes: limit)) per file (raise it with --limit file-bytes=SIZE)"
    case .unreadable(let why): "cannot be read: \(why)"
    case .changed: "changed while it was being opened; it was not read"
    }
  }
}

extension FileKind: CustomStringConvertible {
  public var description: String {
    switch self {
    case .file: "a regular file"
    case .directory: "a directory"
    case .missing: "missing"
    case .special(let name): name
    }
  }
}

/// The machine's own file system, through POSIX calls.
public struct DiskFileSystem: FileSystem {
  public init() {}

  public func kind(of path: String) -> FileKind {
    var info = stat()
    guard stat(path, &info) == 0 else {
      // Something is there but cannot be followed: a dangling link, a loop, a name too long.
      return lstat(path, &info) == 0 ? .special("a symbolic link that cannot be followed") : .missing
    }
    return DiskFileSystem.kind(info.st_mode)
  }

  static func kind(_ mode: mode_t) -> FileKind {
    switch mode & S_IFMT {
    case S_IFREG: .file
    case S_IFDIR: .directory
    case S_IFIFO: .special("a FIFO")
    case S_IFCHR: .special("a character device")
    case S_IFBLK: .special("a block device")
    case S_IFSOCK: .special("a socket")
    default: .special("a special file")
    }
  }

  public func realPath(_ path: String) throws(FileSystemError) -> String {
    guard let resolved = realpath(path, nil) else {
      let code = errno
      if code == ENOENT || code == ENOTDIR {
        // A dangling link exists but leads nowhere: say it cannot be resolved rather than "missing".
        var info = stat()
        if lstat(path, &info) == 0 { throw .unresolvable(String(cString: strerror(code))) }
        throw .missing
      }
      throw .unresolvable(String(cString: strerror(code)))
    }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  public func readFile(_ path: String, within root: String, limit: Int) throws(FileSystemError) -> [UInt8] {
    let real = try realPath(path)
    guard Path.isWithin(real, root: root) else { throw .outside(realPath: real) }
    let descriptor = try DiskFileSystem.openRegularFile(real)
    defer { close(descriptor) }
    var opened = stat()
    guard fstat(descriptor, &opened) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
    let size = max(Int(opened.st_size), 0)
    if size > limit { throw .tooLarge(limit: limit) }
    return try DiskFileSystem.readAll(descriptor, expected: size, limit: limit)
  }

  /// Opens the regular file at `real`, a path `realpath` returned (absolute, no
  /// links), walking it one directory at a time from `/` without following any
  /// link. A link found on the way means the tree changed since it was resolved,
  /// and the read is refused: a directory swapped for a link between the check
  /// and the open cannot lead it elsewhere. The last entry is looked at before
  /// it is opened, so a FIFO or a device is never opened.
  static func openRegularFile(_ real: String) throws(FileSystemError) -> Int32 {
    let parts = real.split(separator: "/").map(String.init)
    guard let last = parts.last else { throw .notRegular(.directory) }
    var directory = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard directory >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
    defer { close(directory) }
    for part in parts.dropLast() {
      let next = openat(directory, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      guard next >= 0 else {
        if errno == ELOOP || errno == ENOTDIR || errno == ENOENT { throw .changed }
        throw .unreadable(String(cString: strerror(errno)))
      }
      close(directory)
      directory = next
    }
    var checked = stat()
    guard fstatat(directory, last, &checked, AT_SYMLINK_NOFOLLOW) == 0 else { throw .changed }
    let kind = DiskFileSystem.kind(checked.st_mode)
    guard kind == .file else {
      // A link here was not there when the path was resolved.
      if checked.st_mode & S_IFMT == S_IFLNK { throw .changed }
      throw .notRegular(kind)
    }
    // O_NOFOLLOW refuses a link put in its place since; O_NONBLOCK keeps a FIFO put there from blocking the open.
    let descriptor = openat(directory, last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ELOOP { throw .changed }
      throw .unreadable(String(cString: strerror(errno)))
    }
    // Re-check the opened file: still a regular file, and the very one looked at.
    var opened = stat()
    guard fstat(descriptor, &opened) == 0, DiskFileSystem.kind(opened.st_mode) == .file,
      opened.st_dev == checked.st_dev, opened.st_ino == checked.st_ino
    else {
      close(descriptor)
      throw .changed
    }
    return descriptor
  }

  /// Reads to the end, never more than `limit` bytes (a file may grow, and `/proc` files report no size).
  static func readAll(_ descriptor: Int32, expected size: Int, limit: Int) throws(FileSystemError) -> [UInt8] {
    // One uninitialised chunk the size of the file: no zero-filling, usually one read.
    let chunkSize = min(max(size + 1, 1 << 12), limit == Int.max ? limit : limit + 1)
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
    defer { chunk.deallocate() }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(size)
    while true {
      let count = readDescriptor(descriptor, chunk.baseAddress, chunkSize)
      if count < 0 {
        if errno == EINTR { continue }
        throw .unreadable(String(cString: strerror(errno)))
      }
      if count == 0 { break }
      if bytes.count + count > limit { throw .tooLarge(limit: limit) }
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
    }
    return bytes
  }

  /// A file the user named on the command line (a golden file), not part of a
  /// build: regular files only, at most `limit` bytes.
  public func readUserFile(_ path: String, limit: Int) throws(FileSystemError) -> [UInt8] {
    let real = try realPath(path)
    return try readFile(real, within: "/", limit: limit)
  }
}

private func readDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}

/// Lexical path helpers: joining and tidying without touching the disk.
public enum Path {
  public static func join(_ directory: String, _ relative: String) -> String {
    if relative.hasPrefix("/") { return normalize(relative) }
    if directory.isEmpty || directory == "." { return normalize(relative) }
    return normalize(directory + "/" + relative)
  }

  /// Removes `.` segments, empty segments and `x/..` pairs (keeping leading `..`).
  public static func normalize(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
        continue
      }
      if part == "..", absolute, parts.isEmpty { continue }
      parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    if absolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  /// `path` relative to `directory` (both as the build spells them), with `..` where needed.
  public static func relative(_ path: String, from directory: String) -> String {
    let from = normalize(directory).split(separator: "/").filter { $0 != "." }
    let to = normalize(path).split(separator: "/").filter { $0 != "." }
    var common = 0
    while common < from.count, common < to.count, from[common] == to[common], from[common] != ".." { common += 1 }
    let ups = Array(repeating: "..", count: from.count - common)
    return (ups + to[common...].map(String.init)).joined(separator: "/")
  }

  /// Whether `path` is `root` or lies below it (both real paths).
  public static func isWithin(_ path: String, root: String) -> Bool {
    path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
  }
}
