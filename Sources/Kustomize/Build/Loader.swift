import YAML

/// Reads kustomization files and resource files, enforcing kustomize's rules:
/// files must lie in or below the kustomization's own directory, remote
/// resources are refused, and a directory must hold exactly one kustomization file.
public struct Loader: Sendable {
  public static let kustomizationFileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

  public let fileSystem: any FileSystem

  public init(fileSystem: any FileSystem = DiskFileSystem()) {
    self.fileSystem = fileSystem
  }

  /// The kustomization file in a directory.
  public func kustomizationFile(in directory: String, requestedAt mark: Mark?) throws(SourceError) -> String {
    let found = Loader.kustomizationFileNames.map { Path.join(directory, $0) }.filter {
      fileSystem.kind(of: $0) == .file
    }
    let at = mark ?? Mark(file: directory, line: 0, column: 0)
    if found.count > 1 {
      throw SourceError(at, "found several kustomization files in '\(directory)': \(found.joined(separator: ", "))")
    }
    guard let file = found.first else {
      throw SourceError(
        at, "no kustomization file in '\(directory)' (looked for \(Loader.kustomizationFileNames.joined(separator: ", ")))")
    }
    return file
  }

  /// Reads and decodes the kustomization of a directory.
  public func loadKustomization(in directory: String, requestedAt mark: Mark?) throws(SourceError) -> (Kustomization, [String]) {
    let file = try kustomizationFile(in: directory, requestedAt: mark)
    // kustomize decodes its own files as JSON, where a repeated key replaces the earlier one.
    let documents = try parse(file, at: mark, lastDuplicateKeyWins: true)
    var decoder = KustomizationDecoder(file: file, directory: directory)
    let kustomization = try decoder.decode(documents)
    return (kustomization, decoder.warnings.map { "\(file): warning: \($0)" })
  }

  public func parse(_ file: String, at mark: Mark?, lastDuplicateKeyWins: Bool = false) throws(SourceError) -> [Node] {
    let bytes: [UInt8]
    do {
      bytes = try fileSystem.read(file)
    } catch {
      throw SourceError(mark ?? Mark(file: file, line: 0, column: 0), error.message)
    }
    var parser = Parser()
    parser.lastDuplicateKeyWins = lastDuplicateKeyWins
    return try parser.parse(bytes, file: file)
  }

  /// Whether a resource entry names something remote, which mrgen never fetches.
  public static func isRemote(_ entry: String) -> Bool {
    entry.contains("://") || entry.hasPrefix("git@") || entry.hasPrefix("github.com/")
      || entry.hasPrefix("gitlab.com/") || entry.hasPrefix("bitbucket.org/") || entry.contains("?ref=")
  }

  /// Checks that a file named by a kustomization stays inside its root.
  public func checkWithinRoot(_ path: String, root: String, entry: Located<String>) throws(SourceError) {
    guard let real = fileSystem.realPath(path), let realRoot = fileSystem.realPath(root) else { return }
    guard Path.isWithin(real, root: realRoot) else {
      throw SourceError(
        entry.mark,
        "'\(entry.value)' is outside the kustomization's directory '\(root)'; a kustomization may only read files in or below its own directory")
    }
  }

  /// The resources in one file: every non-empty document, `List`s expanded.
  public func loadResources(_ file: String, entry: Located<String>) throws(SourceError) -> [Resource] {
    var resources: [Resource] = []
    var pending = try parse(file, at: entry.mark)
    pending.reverse()
    while let document = pending.popLast() {
      if document.isNull { continue }
      guard case .mapping(let object) = document else {
        throw SourceError(document.mark, "a resource must be a map, not \(NodeDecoding.describe(document))")
      }
      if object.entries.isEmpty { continue }
      let kind = object["kind"]?.scalar?.value ?? ""
      if kind.hasSuffix("List"), let items = object["items"] {
        if case .sequence(let sequence) = items {
          pending.append(contentsOf: sequence.items.reversed())
        }
        continue
      }
      if kind.isEmpty {
        throw SourceError(object.mark, "resource has no 'kind'")
      }
      let resource = Resource(object: object, source: object.mark)
      resource.origin = .file(file)
      if resource.name.isEmpty {
        throw SourceError(object.mark, "\(kind) has no 'metadata.name'")
      }
      resources.append(resource)
    }
    return resources
  }
}
