import Kustomize
import YAML

/// Files held in memory, for end-to-end builds of small trees in tests; an
/// entry may also stand for what a disk holds besides regular files.
struct MemoryFileSystem: FileSystem {
  enum Entry {
    case file([UInt8])
    /// A FIFO, a device or a socket, by its description.
    case special(String)
    /// A symbolic link whose real location is this absolute path, outside the tree.
    case link(to: String)
    /// A path whose resolution fails, with the reason (a name too long, a loop).
    case unresolvable(String)
  }

  static let root = "/memory"
  var entries: [String: Entry]

  init(_ files: [String: String]) {
    self.init(entries: files.mapValues { .file(Array($0.utf8)) })
  }

  init(bytes: [String: [UInt8]]) {
    self.init(entries: bytes.mapValues { .file($0) })
  }

  init(entries: [String: Entry]) {
    self.entries = Dictionary(uniqueKeysWithValues: entries.map { (Path.normalize($0.key), $0.value) })
  }

  func kind(of path: String) -> FileKind {
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

  func realPath(_ path: String) throws(FileSystemError) -> String {
    let path = Path.normalize(path)
    switch entries[path] {
    case .link(let target)?: return target
    case .unresolvable(let why)?: throw .unresolvable(why)
    default:
      if kind(of: path) == .missing { throw .missing }
      return MemoryFileSystem.root + (path == "." ? "" : "/" + path)
    }
  }

  func readFile(_ path: String, within root: String, limit: Int) throws(FileSystemError) -> [UInt8] {
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

/// Builds an in-memory tree and returns the rendered stream.
func render(_ files: [String: String], at root: String = ".") throws(SourceError) -> String {
  var builder = Builder(fileSystem: MemoryFileSystem(files))
  return String(decoding: try Builder.render(try builder.build(root)), as: UTF8.self)
}

/// Resources parsed from YAML text, for transformer unit tests.
func resources(_ text: String) throws -> ResourceMap {
  var map = ResourceMap()
  for document in try Parser().parse(text, file: "test.yaml") {
    guard case .mapping(let object) = document else { continue }
    try map.append(Resource(object: object, source: object.mark))
  }
  return map
}

/// The emitted text of one resource.
func yaml(_ resource: Resource) throws -> String {
  String(decoding: try Emitter().emit(.mapping(resource.object)), as: UTF8.self)
}
