import Foundation
import Testing

/// Where a render goes: never outside the directory asked for, never half
/// written, never replacing a link, FIFO or device, and a failed write is an
/// error with its reason rather than a crash.
@Suite struct OutputSafetyTests {
  static func tree(_ resources: String, in directory: URL) throws -> String {
    let root = directory.appendingPathComponent("tree")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try resources.write(to: root.appendingPathComponent("r.yaml"), atomically: true, encoding: .utf8)
    try "resources: [r.yaml]\n".write(
      to: root.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
    return root.path
  }

  static func configMap(_ name: String, namespace: String? = nil) -> String {
    "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\n"
      + (namespace.map { "  namespace: \($0)\n" } ?? "")
  }

  static func files(in directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  /// The names the reference (kustomize v5.6.0, `kubectl kustomize -o DIR`) wrote for this tree:
  /// a namespace prefix, `default` for none, once the resources span two namespaces.
  @Test func resourcesInSeveralNamespacesAreNamedAsTheReferenceNamesThem() throws {
    let base = try CommandTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let tree = try Self.tree(
      Self.configMap("cfg", namespace: "a") + Self.configMap("cfg", namespace: "b")
        + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n" + Self.configMap("solo", namespace: "a"),
      in: base)
    let out = base.appendingPathComponent("out")
    let run = try CommandTests.run(["build", tree, "-o", out.path + "/"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      try Self.files(in: out) == [
        "a_v1_configmap_cfg.yaml", "a_v1_configmap_solo.yaml", "b_v1_configmap_cfg.yaml",
        "default_apps_v1_deployment_d.yaml",
      ])
  }

  @Test(arguments: [
    ("name: ../../escaped", "would hold '/' or NUL"),
    ("name: a/b", "would hold '/' or NUL"),
    ("name: \"a\\0b\"", "would hold '/' or NUL"),
    (
      "name: x\n  namespace: ../../up\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y",
      "would hold '/' or NUL"
    ),
    ("name: \(String(repeating: "n", count: 260))", "longer than 255 bytes"),
    (
      "name: Same\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same",
      "would both be written to 'v1_configmap_same.yaml'"
    ),
  ])
  func aNameThatCannotBeAFileInTheDirectoryIsRefusedAndNothingIsWritten(metadata: String, message: String) throws {
    let base = try CommandTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let tree = try Self.tree("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  \(metadata)\n", in: base)
    let out = base.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try "kept\n".write(to: out.appendingPathComponent("v1_configmap_same.yaml"), atomically: true, encoding: .utf8)
    let run = try CommandTests.run(["build", tree, "-o", out.path])
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix(tree + "/r.yaml:"), "\(run.stderr)")
    #expect(run.stderr.contains(message), "\(run.stderr)")
    #expect(try Self.files(in: out) == ["v1_configmap_same.yaml"])
    #expect(try String(contentsOf: out.appendingPathComponent("v1_configmap_same.yaml"), encoding: .utf8) == "kept\n")
    #expect(try Self.files(in: base).sorted() == ["out", "tree"])
  }

  @Test func aFolderPathThatDoesNotExistYetIsCreated() throws {
    let base = try CommandTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let tree = try Self.tree(Self.configMap("one"), in: base)
    let run = try CommandTests.run(["build", tree, "-o", base.path + "/new/deeper/"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try Self.files(in: base.appendingPathComponent("new/deeper")) == ["v1_configmap_one.yaml"])
  }

  @Test func aLinkKeepsPointingAtTheFileItNames() throws {
    let base = try CommandTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let tree = try Self.tree(Self.configMap("one"), in: base)
    let target = base.appendingPathComponent("target.yaml")
    try "old\n".write(to: target, atomically: true, encoding: .utf8)
    let link = base.appendingPathComponent("link.yaml").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.yaml")
    let run = try CommandTests.run(["build", tree, "-o", link])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "target.yaml")
    #expect(
      try String(contentsOf: target, encoding: .utf8) == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n")
  }

  /// A rendered Secret must not become readable to others because the file it replaces was 0600.
  @Test func aReplacedFileKeepsItsMode() throws {
    let base = try CommandTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let tree = try Self.tree(Self.configMap("one"), in: base)
    let file = base.appendingPathComponent("secret.yaml").path
    let directory = base.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let inDirectory = directory.appendingPathComponent("v1_configmap_one.yaml").path
    for path in [file, inDirectory] {
      #expect(
        FileManager.default.createFile(
          atPath: path, contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o600]))
    }
    #expect(try CommandTests.run(["build", tree, "-o", file]).status == 0)
    #expect(try CommandTests.run(["build", tree, "-o", directory.path]).status == 0)
    for path in [file, inDirectory] {
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(path)")
      #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("apiVersion: v1\n"))
    }
  }

  @Test func aLinkThatLeadsNowhereIsRefused() throws {
    let base = try CommandTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let tree = try Self.tree(Self.configMap("one"), in: base)
    let link = base.appendingPathComponent("dangling.yaml").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "nowhere/at/all.yaml")
    let run = try CommandTests.run(["build", tree, "-o", link])
    #expect(run.status == 1)
    #expect(run.stderr.contains("is a symbolic link that cannot be followed"))
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "nowhere/at/all.yaml")
  }

  @Test func aFIFOIsWrittenThroughNotReplaced() throws {
    let base = try CommandTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let tree = try Self.tree(Self.configMap("one"), in: base)
    let fifo = base.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let reader = Process()
    reader.executableURL = URL(fileURLWithPath: "/bin/cat")
    reader.arguments = [fifo]
    let pipe = Pipe()
    reader.standardOutput = pipe
    try reader.run()
    let run = try CommandTests.run(["build", tree, "-o", fifo])
    let received = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    reader.waitUntilExit()
    #expect(run.status == 0, "\(run.stderr)")
    #expect(received == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n")
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
  }

  @Test func aFullDiskIsAnErrorNotACrash() throws {
    let process = Process()
    process.executableURL = CommandTests.binary
    process.arguments = ["build", "examples/hello"]
    process.currentDirectoryURL = CommandTests.packageRoot
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
    let err = Pipe()
    process.standardError = err
    try process.run()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(stderr == "<stdout>: error: cannot write to standard output: No space left on device\n")
  }

  /// A reader that goes away ends mrgen as it ends other tools: by SIGPIPE, quietly.
  @Test func aClosedPipeEndsMrgenQuietly() throws {
    let base = try CommandTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let big = (0..<4000).map { Self.configMap("c\($0)") }.joined()
    let tree = try Self.tree(big, in: base)
    let process = Process()
    process.executableURL = CommandTests.binary
    process.arguments = ["build", tree]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try out.fileHandleForReading.close()
    try process.run()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(process.terminationStatus == SIGPIPE)
    #expect(stderr == "")
  }
}
