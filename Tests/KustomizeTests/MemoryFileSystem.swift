import Kustomize
import YAML

/// Files held in memory, for end-to-end builds of small trees in tests.
struct MemoryFileSystem: FileSystem {
  var files: [String: String]

  init(_ files: [String: String]) {
    self.files = Dictionary(uniqueKeysWithValues: files.map { (Path.normalize($0.key), $0.value) })
  }

  func kind(of path: String) -> FileKind {
    let path = Path.normalize(path)
    if files[path] != nil { return .file }
    if path == "." || files.keys.contains(where: { $0.hasPrefix(path + "/") }) { return .directory }
    return .missing
  }

  func read(_ path: String) throws(FileSystemError) -> [UInt8] {
    guard let text = files[Path.normalize(path)] else { throw FileSystemError(message: "no file '\(path)'") }
    return Array(text.utf8)
  }

  func realPath(_ path: String) -> String? {
    let path = Path.normalize(path)
    return kind(of: path) == .missing ? nil : "/memory" + (path == "." ? "" : "/" + path)
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
