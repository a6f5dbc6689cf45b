import YAML

/// Reads a generator's key-value sources as kustomize does: env files first,
/// then literals, then files; a repeated key is an error.
struct KeyValueLoader {
  let loader: Loader
  let directory: String

  struct Pair {
    var key: String
    var value: [UInt8]
    var mark: Mark
  }

  func load(_ generator: Kustomization.Generator, kind: String) throws(SourceError) -> [Pair] {
    var pairs: [Pair] = []
    for env in generator.envs { pairs += try envPairs(env) }
    for literal in generator.literals { pairs.append(try literalPair(literal)) }
    for file in generator.files { pairs.append(try filePair(file)) }
    var seen: Set<String> = []
    for pair in pairs where !seen.insert(pair.key).inserted {
      throw SourceError(pair.mark, "\(kind.lowercased()) \(generator.name) illegally repeats the key `\(pair.key)`")
    }
    return pairs
  }

  /// `key=value`; quotes around the value are dropped.
  func literalPair(_ literal: Located<String>) throws(SourceError) -> Pair {
    let text = literal.value
    guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
      throw SourceError(literal.mark, "invalid literal source '\(text)', expected key=value")
    }
    let key = String(text[..<equals])
    var value = Substring(text[text.index(after: equals)...])
    if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
      value = value.dropFirst().dropLast()
    }
    return Pair(key: key, value: Array(value.utf8), mark: literal.mark)
  }

  /// `path` (the key is the file's name) or `key=path`.
  func filePair(_ source: Located<String>) throws(SourceError) -> Pair {
    let text = source.value
    var key: String
    var path: String
    let parts = text.split(separator: "=", maxSplits: 2, omittingEmptySubsequences: false)
    switch parts.count {
    case 1:
      path = text
      key = String(text.split(separator: "/").last ?? Substring(text))
    case 2:
      key = String(parts[0])
      path = String(parts[1])
      guard !key.isEmpty, !path.isEmpty else {
        throw SourceError(source.mark, "key names or file paths cannot be empty in '\(text)'")
      }
    default:
      throw SourceError(source.mark, "key names or file paths cannot contain '=': '\(text)'")
    }
    return Pair(key: key, value: try read(path, entry: source), mark: source.mark)
  }

  /// The loader confines the file to the root and refuses a directory like any other non-regular file.
  func read(_ path: String, entry: Located<String>) throws(SourceError) -> [UInt8] {
    try loader.readEntry(Located(path, mark: entry.mark), in: directory, what: "file").bytes
  }

  /// An env file: `KEY=value` lines; blank lines and `#` comments skipped;
  /// leading white space dropped; the value kept as written, quotes included.
  /// A line without `=` is a key with an empty value, as the reference writes
  /// it: mrgen never reads its own environment into a render.
  func envPairs(_ env: Located<String>) throws(SourceError) -> [Pair] {
    let bytes = try read(env.value, entry: env)
    let file = Path.join(directory, env.value)
    var pairs: [Pair] = []
    for (index, rawLine) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
      let lineNumber = index + 1
      var line = rawLine
      if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
      let mark = Mark(file: file, line: lineNumber, column: 1)
      guard let text = String(validating: line, as: UTF8.self) else {
        throw SourceError(mark, "line \(lineNumber) of env file '\(env.value)' is not valid UTF-8")
      }
      var content = Substring(text)
      if lineNumber == 1, content.hasPrefix("\u{FEFF}") { content = content.dropFirst() }
      content = content.drop(while: { $0.isWhitespace })
      if content.isEmpty || content.first == "#" { continue }
      let key: Substring
      let value: String
      if let equals = content.firstIndex(of: "=") {
        key = content[..<equals]
        value = String(content[content.index(after: equals)...])
      } else {
        key = content
        value = ""
      }
      if key.isEmpty { continue }
      pairs.append(Pair(key: String(key), value: Array(value.utf8), mark: mark))
    }
    return pairs
  }
}
