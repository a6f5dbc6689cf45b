import YAML

/// The most one build may cost: every input is untrusted, so every kind of
/// entry is bounded, with an error that names the entry and the limit.
///
/// The defaults are far above what real trees need (see the README for the
/// measurements behind them); `mrgen build --limit NAME=VALUE` raises or lowers each.
public struct Limits: Sendable, Equatable {
  /// The largest file a build reads.
  public var fileBytes = 64 << 20
  /// All the bytes one build reads, every file counted each time it is read.
  public var totalBytes = 512 << 20
  /// The most resources one build accumulates.
  public var resources = 200_000
  /// The deepest chain of kustomizations including one another.
  public var kustomizationDepth = 100
  /// The YAML parser's bounds: nesting, documents per file, alias expansion.
  public var parser = Parser.Limits()

  public init() {}

  /// The names `--limit` accepts.
  public enum Name: String, CaseIterable, Sendable {
    case fileBytes = "file-bytes"
    case totalBytes = "total-bytes"
    case resources
    case kustomizationDepth = "kustomization-depth"
    case yamlDepth = "yaml-depth"
    case documents
    case aliasNodes = "alias-nodes"
    case aliasBytes = "alias-bytes"

    var keyPath: WritableKeyPath<Limits, Int> {
      switch self {
      case .fileBytes: \.fileBytes
      case .totalBytes: \.totalBytes
      case .resources: \.resources
      case .kustomizationDepth: \.kustomizationDepth
      case .yamlDepth: \.parser.depth
      case .documents: \.parser.documents
      case .aliasNodes: \.parser.aliasNodes
      case .aliasBytes: \.parser.aliasBytes
      }
    }

    var isBytes: Bool { [.fileBytes, .totalBytes, .aliasBytes].contains(self) }

    /// The most a limit may be raised to, where going further would fail worse than the error does.
    var ceiling: Int { self == .yamlDepth ? 10_000 : 1 << 40 }

    var whyCeiling: String {
      self == .yamlDepth
        ? "mrgen's later stages walk nested values recursively, and about 12,000 levels exhaust an 8 MiB stack"
        : "a larger bound is no bound"
    }
  }

  public static var names: [String] { Name.allCases.map(\.rawValue) }

  public subscript(name: Name) -> Int {
    get { self[keyPath: name.keyPath] }
    set { self[keyPath: name.keyPath] = newValue }
  }

  /// Sets one limit from `name=value`; sizes may end in Ki, Mi or Gi.
  public mutating func set(_ assignment: String) throws(LimitError) {
    guard let equals = assignment.firstIndex(of: "=") else {
      throw LimitError(message: "expected NAME=VALUE, not '\(assignment)'")
    }
    let text = String(assignment[assignment.index(after: equals)...])
    guard let name = Name(rawValue: String(assignment[..<equals])) else {
      throw LimitError(
        message: "unknown limit '\(assignment[..<equals])' (known: \(Limits.names.joined(separator: ", ")))")
    }
    guard let value = Limits.parse(text, allowingUnits: name.isBytes), value > 0 else {
      throw LimitError(
        message:
          "the limit '\(name.rawValue)' needs a positive whole number\(name.isBytes ? ", optionally with Ki, Mi or Gi" : ""), not '\(text)'"
      )
    }
    if value > name.ceiling {
      throw LimitError(message: "the limit '\(name.rawValue)' can be at most \(name.ceiling): \(name.whyCeiling)")
    }
    self[name] = value
  }

  static func parse(_ text: String, allowingUnits: Bool) -> Int? {
    let units: [(String, Int)] = allowingUnits ? [("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] : []
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      guard let number = Int(text.dropLast(suffix.count)) else { return nil }
      let (product, overflow) = number.multipliedReportingOverflow(by: factor)
      return overflow ? nil : product
    }
    return Int(text)
  }

  /// A byte count as the limits are written: `64 MiB`, `1000 bytes`.
  public static func describe(bytes: Int) -> String { Parser.describe(bytes: bytes) }
}

public struct LimitError: Error, Sendable {
  public var message: String
}

/// The bytes a build has read so far, shared by every reader of one build.
final class ReadBudget {
  let limit: Int
  private(set) var used = 0

  init(limit: Int) {
    self.limit = limit
  }

  func spend(_ count: Int) -> Bool {
    used += count
    return used <= limit
  }
}
