import Testing
import YAML

/// How scalars come out, one row per rule: YAML 1.1 booleans and nulls, number
/// forms, timestamps, indicators, unicode, long lines, multi-line strings.
/// Each row is a value as written in a resource and the text kustomize v5.6.0
/// printed for it (rows taken from the reference's own output).
@Suite struct QuotingTests {
  static let rows: [(source: String, expected: String)] = [
    ("y", "data:\n  k: \"y\"\n"),
    ("Y", "data:\n  k: \"Y\"\n"),
    ("yes", "data:\n  k: \"yes\"\n"),
    ("Yes", "data:\n  k: \"Yes\"\n"),
    ("YES", "data:\n  k: \"YES\"\n"),
    ("n", "data:\n  k: \"n\"\n"),
    ("N", "data:\n  k: \"N\"\n"),
    ("no", "data:\n  k: \"no\"\n"),
    ("No", "data:\n  k: \"No\"\n"),
    ("NO", "data:\n  k: \"NO\"\n"),
    ("on", "data:\n  k: \"on\"\n"),
    ("On", "data:\n  k: \"On\"\n"),
    ("ON", "data:\n  k: \"ON\"\n"),
    ("off", "data:\n  k: \"off\"\n"),
    ("Off", "data:\n  k: \"Off\"\n"),
    ("OFF", "data:\n  k: \"OFF\"\n"),
    ("true", "data:\n  k: true\n"),
    ("True", "data:\n  k: true\n"),
    ("TRUE", "data:\n  k: true\n"),
    ("false", "data:\n  k: false\n"),
    ("False", "data:\n  k: false\n"),
    ("FALSE", "data:\n  k: false\n"),
    ("null", "data:\n  k: null\n"),
    ("Null", "data:\n  k: null\n"),
    ("NULL", "data:\n  k: null\n"),
    ("~", "data:\n  k: null\n"),
    ("", "data:\n  k: null\n"),
    ("\"y\"", "data:\n  k: \"y\"\n"),
    ("\"yes\"", "data:\n  k: \"yes\"\n"),
    ("\"on\"", "data:\n  k: \"on\"\n"),
    ("\"off\"", "data:\n  k: \"off\"\n"),
    ("\"true\"", "data:\n  k: \"true\"\n"),
    ("\"false\"", "data:\n  k: \"false\"\n"),
    ("\"null\"", "data:\n  k: \"null\"\n"),
    ("\"~\"", "data:\n  k: \"~\"\n"),
    ("\"\"", "data:\n  k: \"\"\n"),
    ("0", "data:\n  k: 0\n"),
    ("-1", "data:\n  k: -1\n"),
    ("+1", "data:\n  k: 1\n"),
    ("0777", "data:\n  k: 511\n"),
    ("0o17", "data:\n  k: 15\n"),
    ("0x1F", "data:\n  k: 31\n"),
    ("0b101", "data:\n  k: 5\n"),
    ("1_000", "data:\n  k: 1000\n"),
    ("08", "data:\n  k: 8\n"),
    ("9223372036854775807", "data:\n  k: 9223372036854775807\n"),
    ("9223372036854775808", "data:\n  k: 9223372036854775808\n"),
    ("18446744073709551616", "data:\n  k: 1.8446744073709552e+19\n"),
    ("\"0777\"", "data:\n  k: \"0777\"\n"),
    ("\"0x1F\"", "data:\n  k: \"0x1F\"\n"),
    ("\"123\"", "data:\n  k: \"123\"\n"),
    ("\"-1\"", "data:\n  k: \"-1\"\n"),
    ("\"+1\"", "data:\n  k: \"+1\"\n"),
    ("\"1_000\"", "data:\n  k: \"1_000\"\n"),
    ("1.0", "data:\n  k: 1\n"),
    ("1.5", "data:\n  k: 1.5\n"),
    (".5", "data:\n  k: 0.5\n"),
    ("1e3", "data:\n  k: 1000\n"),
    ("1e21", "data:\n  k: 1e+21\n"),
    ("1.5e-7", "data:\n  k: 1.5e-07\n"),
    ("0.000001", "data:\n  k: 1e-06\n"),
    ("-0.0", "data:\n  k: 0\n"),
    ("123456.789", "data:\n  k: 123456.789\n"),
    ("1234567.5", "data:\n  k: 1.2345675e+06\n"),
    ("3.", "data:\n  k: 3\n"),
    ("\"1.0\"", "data:\n  k: \"1.0\"\n"),
    ("\".5\"", "data:\n  k: \".5\"\n"),
    ("\"1e3\"", "data:\n  k: \"1e3\"\n"),
    ("\".inf\"", "data:\n  k: \".inf\"\n"),
    ("\"-.Inf\"", "data:\n  k: \"-.Inf\"\n"),
    ("\".NaN\"", "data:\n  k: \".NaN\"\n"),
    ("2001-12-14", "data:\n  k: \"2001-12-14T00:00:00Z\"\n"),
    ("2001-12-14T21:59:43.10-05:00", "data:\n  k: \"2001-12-14T21:59:43.1-05:00\"\n"),
    ("2001-12-14 21:59:43.10", "data:\n  k: \"2001-12-14T21:59:43.1Z\"\n"),
    ("2024-1-2", "data:\n  k: \"2024-01-02T00:00:00Z\"\n"),
    ("\"2001-12-14\"", "data:\n  k: \"2001-12-14\"\n"),
    ("2001-02-30", "data:\n  k: 2001-02-30\n"),
    ("\"1:20\"", "data:\n  k: \"1:20\"\n"),
    ("\"-1:20\"", "data:\n  k: \"-1:20\"\n"),
    ("1:20", "data:\n  k: \"1:20\"\n"),
    ("\" leading\"", "data:\n  k: ' leading'\n"),
    ("\"trailing \"", "data:\n  k: 'trailing '\n"),
    ("\"a: b\"", "data:\n  k: 'a: b'\n"),
    ("\"a #b\"", "data:\n  k: 'a #b'\n"),
    ("\"a#b\"", "data:\n  k: a#b\n"),
    ("\"#start\"", "data:\n  k: '#start'\n"),
    ("\"- dash\"", "data:\n  k: '- dash'\n"),
    ("\"-dash\"", "data:\n  k: -dash\n"),
    ("\"? q\"", "data:\n  k: '? q'\n"),
    ("\"!tag\"", "data:\n  k: '!tag'\n"),
    ("\"&anchor\"", "data:\n  k: '&anchor'\n"),
    ("\"*alias\"", "data:\n  k: '*alias'\n"),
    ("\"%pct\"", "data:\n  k: '%pct'\n"),
    ("\"@at\"", "data:\n  k: '@at'\n"),
    ("\"`tick\"", "data:\n  k: '`tick'\n"),
    ("\"|pipe\"", "data:\n  k: '|pipe'\n"),
    ("\">gt\"", "data:\n  k: '>gt'\n"),
    ("\"[x\"", "data:\n  k: '[x'\n"),
    ("\"{x\"", "data:\n  k: '{x'\n"),
    ("\"x]\"", "data:\n  k: x]\n"),
    ("\"x,y\"", "data:\n  k: x,y\n"),
    ("\"'single'\"", "data:\n  k: '''single'''\n"),
    ("\"\\\"double\\\"\"", "data:\n  k: '\"double\"'\n"),
    ("é ü 日本", "data:\n  k: é ü 日本\n"),
    ("\"emoji 😀\"", "data:\n  k: \"emoji \\U0001F600\"\n"),
    ("\"\\u00a0nbsp\"", "data:\n  k:  nbsp\n"),
    ("\"tab\\there\"", "data:\n  k: \"tab\\there\"\n"),
    ("\"ctrl\\u0001\"", "data:\n  k: \"ctrl\\x01\"\n"),
    (
      "\"this is a very long string that goes beyond eighty columns for sure and keeps going on and on\"",
      "data:\n  k: this is a very long string that goes beyond eighty columns for sure and keeps\n    going on and on\n"
    ),
    (
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "data:\n  k: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
    ),
    ("\"line one\\nline two\"", "data:\n  k: |-\n    line one\n    line two\n"),
    ("\"line one\\nline two\\n\"", "data:\n  k: |\n    line one\n    line two\n"),
    ("\"line\\n\\n\"", "data:\n  k: |+\n    line\n\n"),
    ("\"\\n\"", "data:\n  k: |2+\n\n"),
    ("\"  indented\\nsecond\"", "data:\n  k: |2-\n      indented\n    second\n"),
    ("\"trailing space \\nx\"", "data:\n  k: \"trailing space \\nx\"\n"),
    ("\"crlf\\r\\nx\"", "data:\n  k: \"crlf\\r\\nx\"\n"),
    ("{}", "data:\n  k: {}\n"),
    ("[]", "data:\n  k: []\n"),
    ("[a, \"1\", 2]", "data:\n  k:\n  - a\n  - \"1\"\n  - 2\n"),
    ("<<", "data:\n  k: <<\n"),
    ("\"x: y: z\"", "data:\n  k: 'x: y: z'\n"),
    ("\"a\\\\b\"", "data:\n  k: a\\b\n"),
    ("\"0.5.1\"", "data:\n  k: 0.5.1\n"),
    ("\"v1.2\"", "data:\n  k: v1.2\n"),
    ("\"1e\"", "data:\n  k: 1e\n"),
    ("\"e3\"", "data:\n  k: e3\n"),
    ("\"0x\"", "data:\n  k: 0x\n"),
    ("\"+\"", "data:\n  k: +\n"),
    ("\"-\"", "data:\n  k: '-'\n"),
    ("\".\"", "data:\n  k: .\n"),
    ("\"-.5\"", "data:\n  k: \"-.5\"\n"),
  ]

  @Test(arguments: rows)
  func scalarIsWrittenAsKustomizeWritesIt(source: String, expected: String) throws {
    let documents = try Parser().parse("data:\n  k: \(source)\n", file: "row.yaml")
    let emitted = try Emitter().emitString(documents)
    #expect(emitted == expected, "source: \(source)")
  }

  @Test func keysThatReadAsOtherTypesAreQuoted() throws {
    let documents = try Parser().parse(
      "\"y\": 1\n\"on\": 2\n\"1\": 3\nplain: 4\n\"a: b\": 5\n\"\": 6\n", file: "keys.yaml")
    let emitted = try Emitter().emitString(documents)
    #expect(emitted == "\"\": 6\n\"1\": 3\n'a: b': 5\n\"on\": 2\nplain: 4\n\"y\": 1\n")
  }

  @Test func emptyMapsAndListsAreWrittenInFlowStyle() throws {
    let documents = try Parser().parse("a: {}\nb: []\nc:\n  d: {}\n", file: "empty.yaml")
    #expect(try Emitter().emitString(documents) == "a: {}\nb: []\nc:\n  d: {}\n")
  }
}
