/// Files held in memory, for builds of small trees in tests and fuzzing; an
/// entry may also stand for what a disk holds besides regular files. Paths
/// are relative to the tree's root, which reads as `/memory`.
public struct MemoryFileSystem: FileSystem {
  public enum Entry: Sendable {
    case file([UInt8])
    /// A FIFO, a device or a socket, by its description.
    case special(String)
    /// A symbolic link whose real location is this absolute path, outside the tree.
    case link(to: String)
    /// A path whose resolution fails, with the reason (a name too long, a loop).
    case unresolvable(String)
  }

  public static let root = "/memory"
  public var entries: [String: Entry]

  public init(_ files: [String: String]) {
    self.init(entries: files.mapValues { .file(Array($0.utf8)) })
  }

  public init(bytes: [String: [UInt8]]) {
    self.init(entries: bytes.mapValues { .file($0) })
  }

  public init(entries: [String: Entry]) {
    // Two spellings of one path (`a.yaml`, `./a.yaml`): the later one wins.
    self.entries = Dictionary(
      entries.map { (Path.normalize($0.key), $0.value) }, uniquingKeysWith: { _, later in later })
  }

  public func kind(of path: String) -> FileKind {
    let path = Path.normalize(path)
    switch entries[path] {
    case .file?: return .file
    case .special(let name)?: return .special(name)
    case .link?: return .file
    case .unresolvable?: return .special("a symbolic link that cannot be followed")
    case nil:
      if path == "." || entries.keys.contains(where: { $0.hasPrefix(path + "/") }) { return .directory }
      return .missing
    }
  }

  public func realPath(_ path: String) throws(FileSystemError) -> String {
    let path = Path.normalize(path)
    switch entries[path] {
    case .link(let target)?: return target
    case .unresolvable(let why)?: throw .unresolvable(why)
    default:
      if kind(of: path) == .missing { throw .missing }
      return MemoryFileSystem.root + (path == "." ? "" : "/" + path)
    }
  }

  public func readFile(_ path: String, within root: String, limit: Int) throws(FileSystemError) -> [UInt8] {
    let real = try realPath(path)
    guard Path.isWithin(real, root: root) else { throw .outside(realPath: real) }
    switch entries[Path.normalize(path)] {
    case .file(let bytes)?:
      guard bytes.count <= limit else { throw .tooLarge(limit: limit) }
      return bytes
    case .special(let name)?: throw .notRegular(.special(name))
    default: throw .notRegular(kind(of: path))
    }
  }
}
