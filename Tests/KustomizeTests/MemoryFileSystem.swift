import Kustomize
import YAML

/// Builds an in-memory tree and returns the rendered stream.
func render(_ files: [String: String], at root: String = ".") throws(Diagnostic) -> String {
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
