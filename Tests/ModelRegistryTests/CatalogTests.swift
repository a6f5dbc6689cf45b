import Foundation
import Kustomize
import ModelRegistry
import Testing
import YAML

/// The repository's own tree, which these tests read in place.
enum Tree {
  static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static let catalog: Catalog = try! Catalog.load(root: root)
  static var rules: Rules { Rules(catalog: catalog) }

  static func overlay(_ database: String) -> String { root + "/overlays/" + database }

  static func render(_ directory: String, with selection: [String], namespace: String? = nil) throws -> [UInt8] {
    try Builder.render(try resourceMap(directory, with: selection, namespace: namespace))
  }

  static func build(_ directory: String, with selection: [String], namespace: String? = nil) throws -> [Resource] {
    try resourceMap(directory, with: selection, namespace: namespace).resources
  }

  static func resourceMap(_ directory: String, with selection: [String], namespace: String?) throws -> ResourceMap {
    let composition = try Composition(target: directory, selection: selection, namespace: namespace, catalog: catalog)
    var builder = Builder()
    return try builder.build(composition.kustomization(in: root))
  }

  /// The kind/name of the resources each option's component lists under
  /// `resources:` for a database (files only; the names the tree gives them).
  static func ownResources(for database: String) throws -> [String: [String]] {
    let loader = Loader()
    var result: [String: [String]] = [:]
    for option in catalog.options {
      guard let directory = option.component(for: database) else { continue }
      let (component, _) = try loader.loadKustomization(in: directory, requestedAt: nil)
      for entry in component.resources where loader.fileSystem.kind(of: Path.join(directory, entry.value)) == .file {
        result[option.name, default: []] += try loader.loadResources(entry, in: directory).map {
          "\($0.gvk.kind)/\($0.name)"
        }
      }
    }
    return result
  }

  static func message(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch let error as Diagnostic {
      return error.message
    } catch {
      return "\(error)"
    }
  }
}

@Suite struct CatalogTests {
  /// Whether `names` holds `expected`, a name as written in a file, where a var
  /// reference `$(NAME)` stands for the value the build substitutes.
  static func contains(_ names: Set<String>, _ expected: String) -> Bool {
    guard let open = expected.range(of: "$("), let close = expected[open.upperBound...].firstIndex(of: ")") else {
      return names.contains(expected)
    }
    let prefix = expected[..<open.lowerBound]
    let suffix = expected[expected.index(after: close)...]
    return names.contains { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) && $0.count > prefix.count + suffix.count }
  }

  @Test func readsOptionsAndOverlaysFromAnnotations() {
    // Every directory under overlays/ is a database and every one under options/ an option, by its name.
    func directories(_ folder: String) -> [String] {
      let path = Tree.root + "/" + folder
      return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
        FileManager.default.fileExists(atPath: path + "/" + $0 + "/kustomization.yaml")
      }.sorted()
    }
    #expect(Tree.catalog.databases == directories("overlays"))
    // Every folder under options/ is an option or holds options (the UI's variants); options are listed by name.
    for folder in directories("options") {
      #expect(
        Tree.catalog.options.contains {
          $0.directory.hasSuffix("/options/" + folder) || $0.directory.contains("/options/" + folder + "/")
        }, "\(folder)")
    }
    #expect(Tree.catalog.options.map(\.name) == Tree.catalog.options.map(\.name).sorted())
    #expect(Tree.catalog.databases.contains("postgres") && Tree.catalog.options.count > 10)
    let secure = Tree.catalog.option(named: "secure-db")!
    #expect(secure.component(for: "postgres")!.hasSuffix("options/secure-db/postgres"))
    #expect(secure.component(for: "external")!.hasSuffix("options/secure-db"))
    #expect(Tree.catalog.option(named: "istio")!.component(for: "mariadb")!.hasSuffix("options/istio/mysql"))
    #expect(Tree.catalog.option(named: "openshift")!.requires.map(\.value) == ["oauth"])
    #expect(Tree.catalog.option(named: "openshift")!.comesLast)
    #expect(Tree.catalog.option(named: "cert-manager")!.requiresAny.map(\.value) == ["secure-db", "oauth"])
    #expect(
      Tree.catalog.option(named: "csi")!.conflicts.first?.reason?.hasPrefix(
        "the storage initializer sends no bearer token") == true)
  }

  /// Companions: what two options need of each other, composed after every
  /// option, from the variant's directory or else the option's.
  @Test func composesTheCompanionsOfOptionsSelectedTogether() throws {
    func components(_ target: String, _ selection: [String]) throws -> [String] {
      try Composition(target: target, selection: selection, namespace: nil, catalog: Tree.catalog).components.map {
        Path.relative($0, from: Tree.root)
      }
    }
    #expect(
      try components(Tree.overlay("postgres"), ["mlflow", "secure-db", "cert-manager"]) == [
        "options/mlflow/postgres", "options/secure-db/postgres", "options/cert-manager/database",
        "options/mlflow/cert-manager", "options/mlflow/postgres/secure-db",
      ])
    // MariaDB shares the mysql variant, and its companion.
    #expect(try components(Tree.overlay("mariadb"), ["secure-db", "mlflow"]).last == "options/mlflow/mysql/secure-db")
    // An external database's URI carries its own TLS parameters: no companion for secure-db there.
    #expect(
      try components(Tree.overlay("external"), ["mlflow", "secure-db"]) == ["options/mlflow", "options/secure-db"])
    #expect(try components(Tree.overlay("postgres"), ["mlflow"]) == ["options/mlflow/postgres"])
    // A partner the target already includes counts: the example holds cert-manager and secure-db.
    #expect(
      try components(Tree.root + "/examples/secure-mysql-oauth", ["mlflow"]) == [
        "options/mlflow/mysql", "options/mlflow/cert-manager", "options/mlflow/mysql/secure-db",
      ])
    // The openshift pairing annotates mlflow's Service, so the service CA issues its certificate.
    let rendered = try Tree.build(Tree.overlay("mysql"), with: ["oauth", "mlflow", "openshift"])
    let service = rendered.first { $0.gvk.kind == "Service" && $0.name == "mlflow" }
    #expect(
      service?.metadata?["annotations"]?.mapping?.string("service.beta.openshift.io/serving-cert-secret-name")
        == "mlflow-tls")
  }

  @Test func refusesACompanionForAnUnknownOptionOrWithoutADirectory() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mrgen-companions-\(UUID())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    func write(_ path: String, _ text: String) throws {
      let file = root + "/" + path
      try FileManager.default.createDirectory(
        atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try text.write(toFile: file, atomically: true, encoding: .utf8)
    }
    func option(_ name: String, with companions: String) -> String {
      """
      apiVersion: kustomize.config.k8s.io/v1alpha1
      kind: Component
      metadata:
        name: \(name)
        annotations:
          mrgen.dev/description: an option
          mrgen.dev/with: \(companions)

      """
    }
    try write("overlays/db/kustomization.yaml", "metadata:\n  annotations:\n    mrgen.dev/database: db\n")
    try write("options/a/kustomization.yaml", option("a", with: "b=b"))
    try write("options/b/kustomization.yaml", option("b", with: "a=nowhere"))
    try write("options/a/b/kustomization.yaml", "kind: Component\nmetadata:\n  name: pairing\n")
    #expect(
      Tree.message { _ = try Catalog.load(root: root) }
        == "directory 'nowhere' for option 'a' is in neither the option's directory nor a variant's")
    try write("options/b/kustomization.yaml", option("b", with: "c=."))
    #expect(Tree.message { _ = try Catalog.load(root: root) } == "option 'b' has a companion for an unknown option 'c'")
    try write("options/b/kustomization.yaml", option("b", with: "a"))
    #expect(Tree.message { _ = try Catalog.load(root: root) } == "mrgen.dev/with entry 'a' is not option=directory")
  }

  @Test func rulesRequirementsFirst() {
    #expect(Tree.rules.withRequirements(["seed", "openshift"]) == ["internal", "seed", "oauth", "openshift"])
    #expect(Tree.rules.withRequirements(["cert-manager"]) == ["secure-db", "cert-manager"])
    #expect(Tree.rules.withRequirements(["oauth", "cert-manager"]) == ["oauth", "cert-manager"])
  }

  @Test func anOptionThatComesLastIsComposedAfterTheOthers() throws {
    let composition = try Composition(
      target: Tree.overlay("postgres"), selection: ["oauth", "openshift", "catalog"], namespace: nil,
      catalog: Tree.catalog)
    #expect(composition.options.map(\.name) == ["oauth", "catalog", "openshift"])
    // So the catalog's pods, added after the option in the order given, lose their pinned user too.
    let rendered = RenderedTree(
      resources: try Tree.build(Tree.overlay("postgres"), with: ["oauth", "openshift", "catalog"]))
    #expect(rendered.treeViolations(selection: ["oauth", "openshift", "catalog"], namespace: "model-registry") == [])
  }

  @Test(arguments: [
    (["bogus"], "unknown option 'bogus'"),
    (["oauth", "oauth"], "option 'oauth' is given twice"),
    (["openshift"], "option 'openshift' requires 'oauth', which is not selected"),
    (["seed"], "option 'seed' requires 'internal', which is not selected"),
    (["ui-kubeflow"], "option 'ui-kubeflow' requires 'istio', which is not selected"),
    (["oauth", "istio"], "options 'oauth' and 'istio' cannot be used together"),
    (["istio", "oauth"], "options 'istio' and 'oauth' cannot be used together"),
    (["istio", "ui", "ui-istio"], "options 'ui' and 'ui-istio' cannot be used together"),
    (["cert-manager"], "option 'cert-manager' requires 'secure-db' or 'oauth', and neither is selected"),
    (
      ["oauth", "openshift", "cert-manager"],
      "options 'cert-manager' and 'openshift' cannot be used together: the service CA already issues the proxy's Secret model-registry-oauth-proxy on OpenShift"
    ),
    (
      ["oauth", "csi"],
      "options 'csi' and 'oauth' cannot be used together: the storage initializer sends no bearer token and trusts only the system's CAs, so the proxy refuses it (cmd/csi/main.go:53-55, internal/modelregistry/api_client.go:65)"
    ),
    (
      ["controller", "oauth"],
      "options 'controller' and 'oauth' cannot be used together: the controller looks for the registry Service's port named http-api, which the proxy replaces with https-api (pkg/inferenceservice-controller/controller.go:330-341)"
    ),
    (
      ["istio", "internal"],
      "options 'internal' and 'istio' cannot be used together: the mesh's AuthorizationPolicy admits only the gateway and the istio-system and kubeflow namespaces, and a plain-HTTP Service beside it would either be refused or open the registry to every pod"
    ),
  ])
  func rejectsBrokenRules(selection: [String], expected: String) {
    #expect(Tree.message { _ = try Tree.rules.check(selection, database: "mysql") } == expected)
  }

  @Test func rejectsAnOptionWithoutAVariantForTheDatabase() {
    #expect(
      Tree.message { _ = try Tree.rules.check(["istio"], database: "sqlite") }
        == "option 'istio' has no variant for the database 'sqlite'")
  }

  @Test func rejectsAnOptionTheTargetAlreadyIncludes() {
    let message = Tree.message { _ = try Tree.render(Tree.root + "/examples/mysql-oauth", with: ["oauth"]) }
    #expect(message == "option 'oauth' is already included")
    // ... and counts it for the rules: istio conflicts with the included oauth.
    let conflict = Tree.message { _ = try Tree.render(Tree.root + "/examples/mysql-oauth", with: ["istio"]) }
    #expect(conflict == "options 'istio' and 'oauth' cannot be used together")
  }

  @Test func rejectsATargetWithoutADatabase() {
    let message = Tree.message { _ = try Tree.render(Tree.root + "/bases/registry", with: ["oauth"]) }
    #expect(message?.contains("deploys no database") == true)
  }

  @Test func composesWithTheTargetsNamespaceUnlessOneIsGiven() throws {
    let own = try Composition(
      target: Tree.overlay("mysql"), selection: ["oauth"], namespace: nil, catalog: Tree.catalog)
    #expect(own.namespace == "model-registry")
    let given = try Composition(
      target: Tree.overlay("mysql"), selection: ["csi"], namespace: "kubeflow", catalog: Tree.catalog)
    let text = try given.kustomizationText(in: Tree.root)
    #expect(text.contains("namespace: kubeflow\nresources:\n- overlays/mysql\ncomponents:\n- options/csi\n"))
    // The storage initializer's address follows the final namespace.
    let rendered = String(
      decoding: try Tree.render(Tree.overlay("mysql"), with: ["csi"], namespace: "kubeflow"), as: UTF8.self)
    #expect(rendered.contains("model-registry-service.kubeflow.svc.cluster.local:8080"))
  }
}

/// Every selection of options, for every overlay: the legal ones render and
/// break no image's contract nor any promise of the tree; the illegal ones are
/// rejected with the reason the rules give.
@Suite struct CombinationTests {
  @Test(arguments: ["external", "mariadb", "mysql", "postgres"])
  func everyLegalCombinationKeepsTheContractsAndEveryIllegalOneIsRejected(database: String) throws {
    let (legal, illegal) = Tree.rules.enumerate(for: database)
    #expect(legal.count + illegal.count == 1 << Tree.catalog.options.count)
    var containers = 0
    var owned = 0
    let ownResources = try Tree.ownResources(for: database)
    for selection in legal {
      let resources = try Tree.build(Tree.overlay(database), with: selection)
      let rendered = RenderedTree(resources: resources)
      containers += rendered.containers.count
      #expect(rendered.contractViolations(Contracts.all) == [], "\(selection)")
      #expect(rendered.treeViolations(selection: selection, namespace: "model-registry") == [], "\(selection)")
      // Every resource is one the API server can take: a type, a name, and the namespace when namespaced.
      for resource in resources {
        #expect(!resource.gvk.kind.isEmpty && !resource.gvk.version.isEmpty && !resource.name.isEmpty, "\(resource.id)")
        if !resource.gvk.isClusterScoped { #expect(resource.namespace == "model-registry", "\(resource.id)") }
      }
      // Each selected option's own resources (those its component lists under resources:) are there.
      let present = Set(resources.map { "\($0.gvk.kind)/\($0.name)" })
      for option in selection {
        for expected in ownResources[option] ?? [] {
          owned += 1
          #expect(CatalogTests.contains(present, expected), "\(selection): \(option) adds \(expected)")
        }
      }
    }
    // The check above ran: the options with resources of their own were selected in some render.
    #expect(owned >= ownResources.values.filter { !$0.isEmpty }.count)
    // Every selection ran the checks: each render has the registry's container at least.
    #expect(containers >= legal.count)
    print(
      "combinations for \(database): \(legal.count) legal renders, \(containers) containers checked, \(owned) option resources found, \(illegal.count) illegal selections rejected"
    )
    for (selection, reason) in illegal {
      let message = Tree.message { _ = try Tree.render(Tree.overlay(database), with: selection) }
      #expect(message == reason, "\(selection)")
    }
  }

  /// Two registries in two namespaces: no cluster-scoped object is shared.
  @Test func registriesInTwoNamespacesShareNoClusterScopedObject() throws {
    let selection = ["oauth", "cert-manager", "secure-db", "catalog"]
    let clusterScoped = Set(["ClusterRole", "ClusterRoleBinding"])
    func names(_ namespace: String, _ selection: [String]) throws -> Set<String> {
      Set(
        try Tree.build(Tree.overlay("postgres"), with: selection, namespace: namespace).filter {
          clusterScoped.contains($0.gvk.kind)
        }.map { "\($0.gvk.kind)/\($0.metadata?.string("name") ?? "")" })
    }
    for options in [selection, ["controller", "istio", "ui-istio"]] {
      let first = try names("team-a", options)
      let second = try names("team-b", options)
      #expect(!first.isEmpty)
      #expect(first.isDisjoint(with: second), "\(first.intersection(second))")
    }
  }
}

/// The committed renders (written by scripts/update-goldens with mrgen and
/// checked there against the reference) equal what mrgen renders now.
@Suite struct TreeGoldenTests {
  static let directory = Tree.root + "/Tests/ModelRegistryTests/Goldens"

  static var goldens: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
  }

  @Test func coverEveryOverlayAloneAndWithEveryOption() {
    var expected: [String] = []
    for database in Tree.catalog.databases {
      expected.append(database + ".yaml")
      expected += Tree.catalog.options.map { "\(database)+\($0.name).yaml" }
    }
    #expect(Self.goldens == expected.sorted())
  }

  @Test(arguments: goldens)
  func matches(golden: String) throws {
    let stem = String(golden.dropLast(".yaml".count))
    let parts = stem.split(separator: "+").map(String.init)
    let selection = parts.count > 1 ? Tree.rules.withRequirements([parts[1]]) : []
    let rendered = try Tree.render(Tree.overlay(parts[0]), with: selection)
    let expected = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/" + golden))
    #expect(rendered == Array(expected), "\(golden) differs; run scripts/update-goldens")
  }

  /// An example that says which `mrgen build` command renders the same does render the same.
  @Test func examplesComposedByHandRenderAsTheirCommandSays() throws {
    var checked = 0
    for example in try FileManager.default.contentsOfDirectory(atPath: Tree.root + "/examples").sorted() {
      let text = try String(contentsOfFile: Tree.root + "/examples/\(example)/kustomization.yaml", encoding: .utf8)
      guard let line = text.split(separator: "\n").first(where: { $0.contains("Composed by hand; `mrgen build ") }),
        let start = line.range(of: "`mrgen build "), let end = line[start.upperBound...].firstIndex(of: "`")
      else { continue }
      let words = line[start.upperBound..<end].split(separator: " ").map(String.init)
      let selection = words.firstIndex(of: "--with").map { words[$0 + 1].split(separator: ",").map(String.init) } ?? []
      let namespace = words.firstIndex(of: "--namespace").map { words[$0 + 1] }
      let composed = try Tree.render(Tree.root + "/" + words[0], with: selection, namespace: namespace)
      var builder = Builder()
      let byHand = try Builder.render(try builder.build(Tree.root + "/examples/" + example))
      #expect(composed == byHand, "\(example): `mrgen build \(words.joined(separator: " "))` renders something else")
      checked += 1
    }
    #expect(checked >= 7)
  }

  /// Both serving examples serve a model version that their seed Job registers.
  @Test func servingExamplesNameAVersionTheSeedRegisters() throws {
    func build(_ example: String) throws -> [Resource] {
      var builder = Builder()
      return try builder.build(Tree.root + "/examples/" + example).resources
    }
    func registered(_ resources: [Resource]) throws -> Set<String> {
      let seed = resources.first { $0.gvk.kind == "ConfigMap" && $0.name.hasPrefix("model-registry-seed") }
      let text = seed?.object["data"]?.mapping?.string("models.json") ?? "[]"
      let models = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
      return Set(
        models.flatMap { model in
          (model["versions"] as? [[String: Any]] ?? []).map { "\(model["name"] ?? "")/\($0["name"] ?? "")" }
        })
    }
    let kserve = try build("serve-registered-model")
    let service = kserve.first { $0.gvk.kind == "InferenceService" }
    let uri = service?.object["spec"]?.mapping?["predictor"]?.mapping?["model"]?.mapping?.string("storageUri") ?? ""
    #expect(uri.hasPrefix("model-registry://"))
    #expect(try registered(kserve).contains(String(uri.dropFirst("model-registry://".count))), "\(uri)")
    let plain = try build("serve-without-kserve")
    let parameters = plain.first { $0.gvk.kind == "ConfigMap" && $0.name.hasPrefix("model-download-parameters") }
    let data = parameters?.object["data"]?.mapping
    let version = "\(data?.string("MODEL_NAME") ?? "")/\(data?.string("MODEL_VERSION") ?? "")"
    #expect(try registered(plain).contains(version), "\(version)")
  }

  @Test func examplesMatchTheirGoldens() throws {
    let examples = try FileManager.default.contentsOfDirectory(atPath: Tree.root + "/examples").sorted()
    let goldens = try FileManager.default.contentsOfDirectory(atPath: Tree.root + "/Tests/mrgenTests/Fixtures/examples")
    // One golden per example, and no golden left over from an example that is gone.
    #expect(!examples.isEmpty)
    #expect(goldens.sorted() == examples.map { $0 + ".yaml" })
    for example in examples {
      var builder = Builder()
      let rendered = try Builder.render(try builder.build(Tree.root + "/examples/" + example))
      let expected = try Data(
        contentsOf: URL(fileURLWithPath: Tree.root + "/Tests/mrgenTests/Fixtures/examples/\(example).yaml"))
      #expect(rendered == Array(expected), "\(example)")
    }
  }
}
