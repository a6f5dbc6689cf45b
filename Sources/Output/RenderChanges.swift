import YAML

/// Which resources differ between two renders: each document of a stream
/// named by kind, namespace and name, and compared by its text. `mrgen check`
/// prints it beside the diff, so a reviewer sees at once what drifted.
public struct RenderChanges: Equatable, Sendable {
  public var changed: [String] = []
  public var added: [String] = []
  public var removed: [String] = []

  public var isEmpty: Bool { changed.isEmpty && added.isEmpty && removed.isEmpty }

  /// The changes from `old` to `new`, each list in the order of its render.
  /// A document without kind and name (one that is not a resource, or does
  /// not parse) is named by its place in the stream.
  public init(old: String, new: String) {
    let before = RenderChanges.documents(old)
    let after = RenderChanges.documents(new)
    // Matched by API group too, so that two kinds of one name in different groups stay apart.
    let oldText = Dictionary(before.map { ($0.key, $0.text) }, uniquingKeysWith: { first, _ in first })
    let newKeys = Set(after.map(\.key))
    for document in after {
      if let text = oldText[document.key] {
        if text != document.text { changed.append(document.name) }
      } else {
        added.append(document.name)
      }
    }
    removed = before.filter { !newKeys.contains($0.key) }.map(\.name)
  }

  /// The summary: a count line, then one line per resource.
  public var text: String {
    guard !isEmpty else { return "" }
    var lines = [
      "resources (kind/namespace/name): \(changed.count) changed, \(added.count) added, \(removed.count) removed"
    ]
    lines += changed.map { "  changed  \($0)" }
    lines += added.map { "  added    \($0)" }
    lines += removed.map { "  removed  \($0)" }
    return lines.joined(separator: "\n") + "\n"
  }

  struct Document {
    var name: String
    /// The name with the API group before it, to match documents by.
    var key: String
    var text: Substring
  }

  /// A stream's documents, split at `---` lines as mrgen and kustomize write them.
  static func documents(_ stream: String) -> [Document] {
    var documents: [Document] = []
    var start = stream.startIndex
    var index = stream.startIndex
    func close(_ end: String.Index) {
      let text = stream[start..<end]
      guard !text.isEmpty else { return }
      let (name, group) = identity(of: text, at: documents.count)
      documents.append(Document(name: name, key: group + " " + name, text: text))
    }
    while index < stream.endIndex {
      let lineEnd = stream[index...].firstIndex(of: "\n") ?? stream.endIndex
      if stream[index..<lineEnd] == "---" {
        close(index)
        start = lineEnd < stream.endIndex ? stream.index(after: lineEnd) : lineEnd
      }
      index = lineEnd < stream.endIndex ? stream.index(after: lineEnd) : lineEnd
    }
    close(stream.endIndex)
    return documents
  }

  /// `Kind/namespace/name` (`Kind/name` for no namespace) and the API group,
  /// read from the document's lines as mrgen and kustomize write them
  /// (`apiVersion:` and `kind:` at the left margin, `name:` and `namespace:`
  /// two spaces in under `metadata:`), so that a golden file edited into
  /// invalid YAML still names its resources.
  static func identity(of text: Substring, at position: Int) -> (name: String, group: String) {
    var group = ""
    var kind: String?
    var name: String?
    var namespace: String?
    var inMetadata = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if !line.hasPrefix(" ") { inMetadata = line == "metadata:" }
      if line.hasPrefix("apiVersion: ") {
        let apiVersion = unquoted(line.dropFirst(12))
        group = apiVersion.contains("/") ? String(apiVersion.prefix { $0 != "/" }) : ""
      } else if line.hasPrefix("kind: ") {
        kind = unquoted(line.dropFirst(6))
      } else if inMetadata, line.hasPrefix("  name: ") {
        name = unquoted(line.dropFirst(8))
      } else if inMetadata, line.hasPrefix("  namespace: ") {
        namespace = unquoted(line.dropFirst(13))
      }
    }
    guard let kind, let name else { return ("document \(position + 1)", "") }
    if let namespace, !namespace.isEmpty { return ("\(kind)/\(namespace)/\(name)", group) }
    return ("\(kind)/\(name)", group)
  }

  /// A plain or quoted scalar's text, read by the YAML parser; the line as written if it does not parse.
  static func unquoted(_ value: Substring) -> String {
    guard value.hasPrefix("\"") || value.hasPrefix("'") else { return String(value) }
    return (try? Parser().parse(String(value), file: "render").first?.scalar?.value) ?? String(value)
  }
}
