import Foundation
import Testing

/// Runs the built `mrgen` binary and checks stdout, stderr and exit status together.
@Suite struct CommandTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var binary: URL {
    Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("mrgen")
  }

  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs mrgen in the package's root, or in `directory`.
  static func run(_ arguments: [String], in directory: URL? = nil) throws -> Run {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? packageRoot
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }

  static func golden(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/examples/\(name).yaml", withExtension: nil))
    return String(decoding: try Data(contentsOf: url), as: UTF8.self)
  }

  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mrgen-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func buildPrintsTheExample() throws {
    let run = try Self.run(["build", "examples/hello"])
    #expect(run.status == 0)
    #expect(run.stderr == "")
    #expect(run.stdout == (try Self.golden("hello")))
  }

  @Test func outputToAFile() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("all.yaml").path
    let run = try Self.run(["build", "examples/hello", "-o", file])
    #expect(run.status == 0)
    #expect(run.stdout == "")
    #expect(
      String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self) == (try Self.golden("hello")))
  }

  @Test func outputToADirectoryWritesOneFilePerResource() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try Self.run(["build", "examples/hello", "--output", directory.path])
    #expect(run.status == 0)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(
      names == [
        "apps_v1_deployment_demo-model-registry.yaml", "networking.k8s.io_v1_networkpolicy_demo-model-registry.yaml",
        "v1_service_demo-model-registry.yaml", "v1_serviceaccount_demo-model-registry.yaml",
      ])
    let service = String(
      decoding: try Data(contentsOf: directory.appendingPathComponent("v1_service_demo-model-registry.yaml")),
      as: UTF8.self)
    #expect(service.hasPrefix("apiVersion: v1\nkind: Service\n"))
    #expect(!service.contains("---"))
  }

  @Test func buildErrorsNameTheFileAndWriteNothing() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try "resources:\n- missing.yaml\n".write(
      to: directory.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
    let output = directory.appendingPathComponent("out.yaml").path
    let run = try Self.run(["build", directory.path, "-o", output])
    #expect(run.status == 1)
    #expect(run.stdout == "")
    #expect(run.stderr.hasPrefix("\(directory.path)/kustomization.yaml:2:3: error: resource 'missing.yaml' not found"))
    #expect(!FileManager.default.fileExists(atPath: output))
  }

  @Test func buildWithOptionsEqualsTheExampleComposedByHand() throws {
    let run = try Self.run(["build", "overlays/mysql", "--with", "oauth,secure-db,cert-manager"])
    #expect(run.status == 0)
    #expect(run.stdout == (try Self.golden("secure-mysql-oauth")))
  }

  @Test func brokenRulesAreErrorsWithTheirReason() throws {
    let unknown = try Self.run(["build", "overlays/mysql", "--with", "oauth,bogus"])
    #expect(unknown.status == 1)
    #expect(unknown.stdout == "")
    #expect(
      unknown.stderr.hasPrefix(
        "--with: error: unknown option 'bogus'\nnote: available options: catalog, cert-manager, controller, csi,"))
    let missing = try Self.run(["build", "overlays/postgres", "--with", "openshift"])
    #expect(missing.status == 1)
    #expect(
      missing.stderr
        == "options/openshift/kustomization.yaml:14:25: error: option 'openshift' requires 'oauth', which is not selected\nnote: add it: --with oauth,openshift\n"
    )
    let conflict = try Self.run(["build", "overlays/postgres", "--with", "istio,oauth"])
    #expect(conflict.status == 1)
    #expect(conflict.stderr.contains("error: options 'istio' and 'oauth' cannot be used together"))
    let reasoned = try Self.run(["build", "overlays/postgres", "--with", "oauth,csi"])
    #expect(reasoned.status == 1)
    #expect(reasoned.stderr.hasPrefix("options/csi/kustomization.yaml:"))
    #expect(
      reasoned.stderr.contains(
        ": error: options 'csi' and 'oauth' cannot be used together: the storage initializer sends no bearer token"))
  }

  @Test func optionsListsTheCatalogWithItsRules() throws {
    let run = try Self.run(["options"])
    #expect(run.status == 0)
    #expect(
      run.stdout.contains(
        "  openshift     OpenShift Route, serving certificate, the Group model-registry-users, and every pod under the restricted-v2 SCC\n                requires: oauth\n                conflicts with: cert-manager\n"
      ))
    #expect(
      run.stdout.contains(
        "  cert-manager  cert-manager Issuers and Certificates for the Secrets that secure-db and oauth read\n                requires one of: secure-db, oauth\n"
      ))
    #expect(run.stdout.contains("  istio        "))
    #expect(
      run.stdout.contains(
        "                variants: mysql: options/mlflow/mysql, mariadb: options/mlflow/mysql, postgres: options/mlflow/postgres, external: options/mlflow\n                companions with: cert-manager, openshift, secure-db\n"
      ))
    #expect(try Self.run(["options", "--resolve", "seed"]).stdout == "internal,seed\n")
  }

  @Test func checkPassesOnTheGoldenAndPrintsADiffOtherwise() throws {
    let golden = "Tests/mrgenTests/Fixtures/examples/secure-mysql-oauth.yaml"
    let same = try Self.run(["check", "overlays/mysql", "--with", "oauth,secure-db,cert-manager", "--golden", golden])
    #expect(same.status == 0)
    #expect(same.stdout == "")
    let other = try Self.run(["check", "overlays/mysql", "--with", "oauth", "--golden", golden])
    #expect(other.status == 1)
    #expect(other.stdout.hasPrefix("--- \(golden)\n+++ mrgen build overlays/mysql --with oauth\n@@ "))
    #expect(other.stdout.contains("\n-        - --embedmd-database-ssl-root-cert=/etc/model-registry/db-ca/ca.crt\n"))
  }

  /// `on` is a boolean to YAML 1.1 readers: written bare, kustomize and mrgen would both refuse it.
  @Test func composeQuotesAValueYAMLWouldReadAsAnotherType() throws {
    let run = try Self.run(["compose", "overlays/postgres", "--namespace", "on"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("\nnamespace: \"on\"\n"))
    let build = try Self.run(["build", "overlays/postgres", "--namespace", "on"])
    #expect(build.status == 0)
    #expect(build.stdout.contains("  namespace: \"on\"\n"))
  }

  @Test(arguments: ["Team-A", "a_b", "-a", "a-", "bad\nevil: x", String(repeating: "n", count: 64)])
  func aNamespaceThatCannotNameOneIsRefused(namespace: String) throws {
    let run = try Self.run(["compose", "overlays/postgres", "--namespace=" + namespace])
    #expect(run.status == 1)
    #expect(run.stdout == "")
    #expect(run.stderr.hasPrefix("--namespace: error: "))
    #expect(run.stderr.contains("is not a namespace name"))
  }

  @Test func composePrintsTheKustomizationItBuilds() throws {
    let run = try Self.run(["compose", "overlays/postgres", "--with", "csi", "--namespace", "kubeflow"])
    #expect(run.status == 0)
    #expect(
      run.stdout == """
        # Composed by mrgen: mrgen build overlays/postgres --with csi --namespace kubeflow
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: kubeflow
        resources:
        - overlays/postgres
        components:
        - options/csi

        """)
  }

  /// `--load-restrictor` as kubectl kustomize spells it: a file outside the root is
  /// refused by default, read with LoadRestrictionsNone; another value is a usage error.
  @Test func loadRestrictorReachesTheBuild() throws {
    let base = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    try FileManager.default.createDirectory(at: base.appendingPathComponent("app"), withIntermediateDirectories: true)
    try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\n".write(
      to: base.appendingPathComponent("outside.yaml"), atomically: true, encoding: .utf8)
    try "resources: [../outside.yaml]\n".write(
      to: base.appendingPathComponent("app/kustomization.yaml"), atomically: true, encoding: .utf8)
    let app = base.appendingPathComponent("app").path
    let refused = try Self.run(["build", app])
    #expect(refused.status == 1 && refused.stdout.isEmpty)
    #expect(refused.stderr.contains("outside the kustomization's directory"))
    let read = try Self.run(["build", app, "--load-restrictor", "LoadRestrictionsNone"])
    #expect(read.status == 0)
    #expect(read.stdout == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\n")
    #expect(try Self.run(["build", app, "--load-restrictor=LoadRestrictionsRootOnly"]).status == 1)
    #expect(try Self.run(["build", app, "--load-restrictor", "None"]).status == 2)
  }

  /// Every build flag of kubectl kustomize (and kustomize build's --enable-exec) is
  /// accepted as spelled there; those for plugins and functions change nothing.
  @Test func kustomizeBuildFlagsAreAccepted() throws {
    let plain = try Self.run(["build", "examples/hello"])
    let flagged = try Self.run([
      "build", "examples/hello", "--enable-alpha-plugins", "--enable-exec", "--mount", "type=bind,src=/tmp,dst=/x",
      "--network", "--network-name", "n", "-e", "A=b", "--env", "C", "--as-current-user", "--enable-helm",
      "--helm-command", "/nonexistent/helm", "--helm-api-versions", "v1", "--helm-kube-version", "1.30",
      "--helm-debug",
    ])
    #expect(plain.status == 0 && flagged.status == 0)
    #expect(flagged.stdout == plain.stdout)
    let labelled = try Self.run(["build", "examples/hello", "--enable-managedby-label"])
    #expect(labelled.status == 0)
    #expect(labelled.stdout.contains("app.kubernetes.io/managed-by: kustomize-(devel)"))
  }

  /// As `kustomize build`: no DIR builds the current folder; a URL is refused with a message, not read as a path.
  @Test func buildDefaultsToTheCurrentFolderAndRefusesURLs() throws {
    let base = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: here\n".write(
      to: base.appendingPathComponent("cm.yaml"), atomically: true, encoding: .utf8)
    try "resources: [cm.yaml]\n".write(
      to: base.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
    let here = try Self.run(["build"], in: base)
    #expect(here.status == 0)
    #expect(here.stdout == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: here\n")
    let remote = try Self.run(["build", "https://github.com/org/repo//deploy?ref=v1"], in: base)
    #expect(remote.status == 1 && remote.stdout.isEmpty)
    #expect(remote.stderr.contains("remote kustomizations are not supported"))
  }

  /// `mrgen version` in the forms of `kustomize version`: a semantic version that
  /// reads as v5.6.0, and the `--short` form Argo CD asks for and cuts down.
  @Test func versionReadsAsTheKustomizeItReproduces() throws {
    let plain = try Self.run(["version"])
    #expect(plain.status == 0)
    #expect(plain.stdout == "v5.6.0+mrgen.0.1.0\n")
    let short = try Self.run(["version", "--short"])
    #expect(short.stdout == "{kustomize/v5.6.0+mrgen.0.1.0  }\n")
    // Argo CD's reading: trim, drop the braces and 'kustomize/', take the first semantic version.
    var cut = short.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    cut = String(cut.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
    cut = cut.replacingOccurrences(of: "kustomize/", with: "")
    #expect(cut.split(separator: "+").first == "v5.6.0")
    let json = try Self.run(["version", "-o", "json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: String]
    #expect(object?["kustomize"] == "v5.6.0")
    #expect(try Self.run(["version", "-o", "xml"]).status == 2)
  }

  /// `-o DIR --prune`: the YAML files an earlier render left are removed; other
  /// files and folders stay; without --prune nothing else is touched.
  @Test func pruneRemovesOnlyStaleYAMLFiles() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let stale = directory.appendingPathComponent("rbac.authorization.k8s.io_v1_clusterrolebinding_gone.yaml")
    let notes = directory.appendingPathComponent("README.md")
    let nested = directory.appendingPathComponent("keep/x.yaml")
    try FileManager.default.createDirectory(
      at: nested.deletingLastPathComponent(), withIntermediateDirectories: true)
    for file in [stale, notes, nested] { try "x: 1\n".write(to: file, atomically: true, encoding: .utf8) }
    let kept = try Self.run(["build", "examples/hello", "-o", directory.path])
    #expect(kept.status == 0)
    #expect(FileManager.default.fileExists(atPath: stale.path))
    let pruned = try Self.run(["build", "examples/hello", "-o", directory.path, "--prune"])
    #expect(pruned.status == 0)
    #expect(!FileManager.default.fileExists(atPath: stale.path))
    #expect(FileManager.default.fileExists(atPath: notes.path) && FileManager.default.fileExists(atPath: nested.path))
    #expect(
      FileManager.default.fileExists(
        atPath: directory.appendingPathComponent("v1_service_demo-model-registry.yaml").path))
    // A failed build prunes nothing; --prune without a directory is refused.
    let broken = try Self.run(["build", "examples/does-not-exist", "-o", directory.path, "--prune"])
    #expect(broken.status == 1)
    #expect(
      FileManager.default.fileExists(
        atPath: directory.appendingPathComponent("v1_service_demo-model-registry.yaml").path))
    // A kustomization's own folder is never pruned: its sources would go.
    let base = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    try "resources: []\n".write(
      to: base.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
    let ownFolder = try Self.run(["build", "examples/hello", "-o", base.path, "--prune"])
    #expect(ownFolder.status == 1 && ownFolder.stderr.contains("--prune would remove 'kustomization.yaml'"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: base.path) == ["kustomization.yaml"])
    let toStdout = try Self.run(["build", "examples/hello", "--prune"])
    #expect(toStdout.status == 1 && toStdout.stdout.isEmpty && toStdout.stderr.contains("--prune needs -o DIR"))
  }

  /// `-o PATH/` for a folder that does not exist creates it, parents included.
  @Test func outputToANewFolderCreatesIt() throws {
    let base = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let target = base.appendingPathComponent("a/b").path + "/"
    #expect(try Self.run(["build", "examples/hello", "-o", target]).status == 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: target).count == 4)
  }

  /// check: the header names the whole build command, the resources that drifted
  /// go to stderr, --update rewrites the golden file, --color=always paints the diff.
  @Test func checkNamesTheCommandSummarisesAndUpdates() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let golden = directory.appendingPathComponent("golden.yaml")
    var text = try Self.golden("hello")
    text = text.replacingOccurrences(of: "kind: Service\n", with: "kind: Service\n# drift\n")
    try text.write(to: golden, atomically: true, encoding: .utf8)
    let check = try Self.run([
      "check", "examples/hello", "--golden", golden.path, "--load-restrictor", "LoadRestrictionsRootOnly",
    ])
    #expect(check.status == 1)
    #expect(
      check.stdout.hasPrefix(
        "--- \(golden.path)\n+++ mrgen build examples/hello --load-restrictor LoadRestrictionsRootOnly\n@@ "))
    #expect(check.stdout.contains("\n-# drift\n"))
    #expect(
      check.stderr
        == "resources (kind/namespace/name): 1 changed, 0 added, 0 removed\n  changed  Service/model-registry/demo-model-registry\n"
    )
    let colored = try Self.run(["check", "examples/hello", "--golden", golden.path, "--color=always"])
    #expect(colored.stdout.contains("\u{1B}[31m-# drift\u{1B}[m\n"))
    #expect(!check.stdout.contains("\u{1B}"))
    let update = try Self.run(["check", "examples/hello", "--golden", golden.path, "--update"])
    #expect(update.status == 0 && update.stdout.isEmpty)
    // --update writes a golden file that is not there yet.
    let fresh = directory.appendingPathComponent("fresh.yaml")
    #expect(try Self.run(["check", "examples/hello", "--golden", fresh.path, "--update"]).status == 0)
    #expect(String(decoding: try Data(contentsOf: fresh), as: UTF8.self) == (try Self.golden("hello")))
    #expect(String(decoding: try Data(contentsOf: golden), as: UTF8.self) == (try Self.golden("hello")))
    #expect(try Self.run(["check", "examples/hello", "--golden", golden.path]).status == 0)
  }

  /// --namespace alone outside the Model Registry tree wraps DIR in a kustomization
  /// that sets the namespace; `compose` prints it; --with there is still refused.
  @Test func namespaceOutsideTheTree() throws {
    let base = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: base) }
    let app = base.appendingPathComponent("app")
    try FileManager.default.createDirectory(at: app, withIntermediateDirectories: true)
    try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: old\n".write(
      to: app.appendingPathComponent("cm.yaml"), atomically: true, encoding: .utf8)
    try "resources: [cm.yaml]\n".write(
      to: app.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
    let built = try Self.run(["build", "app", "--namespace", "team"], in: base)
    #expect(built.status == 0)
    #expect(built.stdout == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: team\n")
    let composed = try Self.run(["compose", "app", "--namespace", "team"], in: base)
    #expect(composed.stdout.hasSuffix("namespace: team\nresources:\n- app\n"))
    let withOption = try Self.run(["build", "app", "--with", "oauth"], in: base)
    #expect(withOption.status == 1 && withOption.stderr.contains("no Model Registry tree"))
    // Inside the tree, a folder that deploys no database takes --namespace alone the same way.
    let kit = try Self.run(["build", "deploy/argocd/test", "--namespace", "tools"])
    #expect(kit.status == 0 && kit.stdout.contains("  namespace: tools\n") && !kit.stdout.contains("namespace: argocd"))
    // A URL is refused as a URL, with or without --namespace.
    let remote = try Self.run(["build", "https://github.com/org/repo//deploy?ref=v1", "--namespace", "team"], in: base)
    #expect(remote.status == 1 && remote.stderr.contains("remote kustomizations are not supported"))
  }

  /// Shell completion: directories for DIR, files for -o and --golden, the catalog's option names for --with.
  @Test func completionOffersDirectoriesFilesAndOptionNames() throws {
    let bash = try Self.run(["--generate-completion-script", "bash"])
    #expect(bash.status == 0)
    #expect(bash.stdout.contains("---completion build -- --with"))
    #expect(bash.stdout.contains("__mrgen_add_completions -d"))
    for shell in ["zsh", "fish"] { #expect(try Self.run(["--generate-completion-script", shell]).status == 0) }
    // As bash asks: the index of the word being completed, the cursor in it, then the words.
    let names = try Self.run([
      "---completion", "build", "--", "--with", "4", "7", "mrgen", "build", "overlays/postgres", "--with", "oauth,i",
    ])
    #expect(names.stdout == "oauth,internal\noauth,istio\n")
    let outside = try Self.run(
      ["---completion", "build", "--", "--with", "4", "0", "mrgen", "build", "/", "--with", ""],
      in: URL(fileURLWithPath: "/"))
    #expect(outside.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
  }

  @Test func usageErrorsExitWithTwo() throws {
    #expect(try Self.run(["check"]).status == 2)
    #expect(try Self.run(["frobnicate"]).status == 2)
    #expect(try Self.run(["build", "examples/hello", "--bogus"]).status == 2)
  }

  @Test func helpAndVersion() throws {
    let help = try Self.run(["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("build"))
    let buildHelp = try Self.run(["build", "--help"])
    #expect(buildHelp.stdout.contains("--output"))
    let version = try Self.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.hasPrefix("mrgen "))
  }
}
