#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files a build may read. Reads only: the engine never writes, runs or fetches.
public protocol FileSystem: Sendable {
  func kind(of path: String) -> FileKind
  func read(_ path: String) throws(FileSystemError) -> [UInt8]
  /// The path with symbolic links and `..` resolved, or nil when it does not exist.
  func realPath(_ path: String) -> String?
}

public enum FileKind: Sendable {
  case file, directory, missing
}

public struct FileSystemError: Error, Sendable {
  public var message: String

  public init(message: String) {
    self.message = message
  }
}

/// The machine's own file system, through POSIX calls.
public struct DiskFileSystem: FileSystem {
  public init() {}

  public func kind(of path: String) -> FileKind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .missing }
    return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
  }

  public func read(_ path: String) throws(FileSystemError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw FileSystemError(message: "cannot open '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var info = stat()
    let size = fstat(descriptor, &info) == 0 ? max(Int(info.st_size), 0) : 0
    // One uninitialised chunk the size of the file: no zero-filling, usually one read.
    let chunkSize = max(size + 1, 1 << 12)
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
    defer { chunk.deallocate() }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(size)
    while true {
      let count = readDescriptor(descriptor, chunk.baseAddress, chunkSize)
      if count < 0 {
        if errno == EINTR { continue }
        throw FileSystemError(message: "cannot read '\(path)': \(String(cString: strerror(errno)))")
      }
      if count == 0 { break }
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
    }
    return bytes
  }

  public func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
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
