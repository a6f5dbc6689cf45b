import YAML

/// Reads a generator's key-value sources as kustomize does: env files first,
/// then literals, then files; a repeated key is an error.
///
/// What the reference accepts silently but the API server would refuse, or
/// what is likely a mistake, becomes a warning: a key that is not a valid
/// ConfigMap or Secret key, an env-file line without `=`.
struct KeyValueLoader {
  let loader: Loader
  let directory: String
  private(set) var warnings: [Diagnostic] = []

  init(loader: Loader, directory: String) {
    self.loader = loader
    self.directory = directory
  }

  struct Pair {
    var key: String
    var value: [UInt8]
    var mark: Mark
    /// The key is a whole env-file line without `=`, which may be a value typed
    /// on the wrong line: messages name its place, never its text.
    var keyIsWholeLine = false
  }

  mutating func load(_ generator: Kustomization.Generator, kind: String) throws(Diagnostic) -> [Pair] {
    var pairs: [Pair] = []
    for env in generator.envs { pairs += try envPairs(env) }
    for literal in generator.literals { pairs.append(try literalPair(literal)) }
    for file in generator.files { pairs.append(try filePair(file)) }
    var seen: Set<String> = []
    for pair in pairs {
      guard seen.insert(pair.key).inserted else {
        let key = pair.keyIsWholeLine ? "of this line" : "`\(pair.key)`"
        throw Diagnostic(pair.mark, "\(kind.lowercased()) \(generator.name) illegally repeats the key \(key)")
      }
      // A whole line as a key was warned about already, without its text.
      if !pair.keyIsWholeLine, !KeyValueLoader.isValidKey(pair.key) {
        warnings.append(
          .warning(
            pair.mark,
            "'\(pair.key)' is not a valid \(kind) key (at most 253 of letters, digits, '-', '_' and '.'); the API server will refuse \(kind) '\(generator.name)'"
          ))
      }
    }
    return pairs
  }

  /// The API server's rule for ConfigMap and Secret keys.
  static func isValidKey(_ key: String) -> Bool {
    let utf8 = key.utf8
    guard !utf8.isEmpty, utf8.count <= 253, key != ".", key != ".." else { return false }
    return utf8.allSatisfy { byte in
      (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: "_")
        || byte == UInt8(ascii: ".")
    }
  }

  /// `key=value`; quotes around the value are dropped.
  func literalPair(_ literal: Located<String>) throws(Diagnostic) -> Pair {
    let text = literal.value
    guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
      // The text is not shown: without '=', it may be a secret value itself.
      throw Diagnostic(literal.mark, "a literal source must be key=value; this one has no key")
    }
    let key = String(text[..<equals])
    var value = Substring(text[text.index(after: equals)...])
    if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
      value = value.dropFirst().dropLast()
    }
    return Pair(key: key, value: Array(value.utf8), mark: literal.mark)
  }

  /// `path` (the key is the file's name) or `key=path`.
  func filePair(_ source: Located<String>) throws(Diagnostic) -> Pair {
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
        throw Diagnostic(source.mark, "key names or file paths cannot be empty in '\(text)'")
      }
    default:
      throw Diagnostic(source.mark, "key names or file paths cannot contain '=': '\(text)'")
    }
    return Pair(key: key, value: try read(path, entry: source), mark: source.mark)
  }

  /// The loader confines the file to the root and refuses a directory like any other non-regular file.
  func read(_ path: String, entry: Located<String>) throws(Diagnostic) -> [UInt8] {
    try loader.readEntry(Located(path, mark: entry.mark), in: directory, what: "file").bytes
  }

  /// An env file: `KEY=value` lines; blank lines and `#` comments skipped;
  /// leading white space dropped; the value kept as written, quotes included.
  /// A line without `=` is a key with an empty value, as the reference writes
  /// it: mrgen never reads its own environment into a render.
  mutating func envPairs(_ env: Located<String>) throws(Diagnostic) -> [Pair] {
    let bytes = try read(env.value, entry: env)
    let file = Path.join(directory, env.value)
    var pairs: [Pair] = []
    for (index, rawLine) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
      let lineNumber = index + 1
      var line = rawLine
      if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
      let mark = Mark(file: file, line: lineNumber, column: 1)
      guard let text = String(validating: line, as: UTF8.self) else {
        throw Diagnostic(mark, "line \(lineNumber) of env file '\(env.value)' is not valid UTF-8")
      }
      var content = Substring(text)
      if lineNumber == 1, content.hasPrefix("\u{FEFF}") { content = content.dropFirst() }
      content = content.drop(while: { $0.isWhitespace })
      if content.isEmpty || content.first == "#" { continue }
      let key: Substring
      let value: String
      let wholeLine: Bool
      if let equals = content.firstIndex(of: "=") {
        key = content[..<equals]
        value = String(content[content.index(after: equals)...])
        wholeLine = false
      } else {
        key = content
        value = ""
        wholeLine = true
        warnings.append(
          .warning(
            mark,
            "line \(lineNumber) of env file '\(env.value)' has no '=': the whole line becomes a key with an empty value (mrgen never reads its environment)"
          ))
      }
      if key.isEmpty { continue }
      pairs.append(Pair(key: String(key), value: Array(value.utf8), mark: mark, keyIsWholeLine: wholeLine))
    }
    return pairs
  }
}
