//! Every binding's per-operation glue is generated from the registry (`odeme::registry`) and the
//! outcome shapes (`odeme::outcome::SHAPES`), and committed. This test fails when a committed
//! file is stale; `ODEME_BLESS=1 cargo test -p odeme --test generated` rewrites them all:
//!
//! * `README.md`, the table between `<!-- operations:begin -->` and `<!-- operations:end -->`;
//! * Python: `bindings/python/python/odeme/_operations.py` (one class per provider, one typed
//!   method per operation) and `_outcomes.py` (a `TypedDict` per outcome type and list item);
//! * PHP: `bindings/php/src/Operations.php` (the trait `Odeme\Operations` that `Client` uses);
//! * C#: `bindings/dotnet/src/Operations.g.cs` (the methods) and `Outcomes.g.cs` (the typed
//!   outcomes and the classes `DataContractJsonSerializer` reads them into).
//!
//! Plain string building, one function per file.

use std::fmt::Write;
use std::path::PathBuf;

use odeme::outcome::{FieldType, Shape, SHAPES};
use odeme::registry::{all, OperationDef, Sends};

const NOTICE: &str =
    "GENERATED from the registry by core/tests/generated.rs: do not edit. Regenerate with\n\
     ODEME_BLESS=1 cargo test -p odeme --test generated";

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// `checkout_form` -> `CheckoutForm`, `init_3ds` -> `Init3ds`.
fn pascal(s: &str) -> String {
    s.split(['_', '.'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `iyzico.create_payment` -> `iyzicoCreatePayment`.
fn camel(op: &str) -> String {
    let (provider, verb) = op.split_once('.').unwrap();
    format!("{provider}{}", pascal(verb))
}

fn providers() -> Vec<&'static str> {
    let mut out: Vec<&str> = Vec::new();
    for d in all() {
        if !out.contains(&d.provider()) {
            out.push(d.provider());
        }
    }
    out
}

fn outcome_shapes() -> impl Iterator<Item = &'static Shape> {
    SHAPES.iter().filter(|s| !s.item)
}

/// The provider call and the answer, in words: "`POST /payment/auth`; outcome `completed` or
/// `review`".
fn call_line(d: &OperationDef, tick: &str) -> String {
    let call = match (d.method, d.path) {
        (Some(m), Some(p)) => format!("{tick}{m} {p}{tick}"),
        _ => "no I/O".to_owned(),
    };
    let outcomes: Vec<String> = d
        .outcome
        .iter()
        .map(|o| format!("{tick}{o}{tick}"))
        .collect();
    let policy = match d.reconcile_with() {
        (Some(op), Some(by)) => format!(
            "; sent at most once: after outcome_unknown call {tick}{op}{tick} by {tick}{by}{tick}"
        ),
        _ if d.sends == Sends::AtMostOnce => {
            "; sent at most once: after outcome_unknown see the error's message".to_owned()
        }
        _ => String::new(),
    };
    format!("{call}; outcome {}{policy}", outcomes.join(" or "))
}

// ---- README ----------------------------------------------------------------------------------

fn readme_table() -> String {
    let mut out = String::from(
        "| operation | provider call | outcome | sends | what it does |\n|---|---|---|---|---|\n",
    );
    for d in all() {
        let call = match (d.method, d.path) {
            (Some(m), Some(p)) => format!("`{m} {p}`"),
            _ => "none (local)".to_owned(),
        };
        let outcomes: Vec<String> = d.outcome.iter().map(|o| format!("`{o}`")).collect();
        writeln!(
            out,
            "| `{}` | {call} | {} | `{}` | {} |",
            d.name,
            outcomes.join(", "),
            d.sends.as_str(),
            d.summary.replace('|', "\\|")
        )
        .unwrap();
    }
    out.push_str(
        "\nOutcome types (`?`: may be null or absent; amounts are strings of the provider's digits):\n\n\
         | type | fields | |\n|---|---|---|\n",
    );
    for s in SHAPES {
        let fields: Vec<String> = s
            .fields
            .iter()
            .map(|f| {
                let ty = match f.ty {
                    FieldType::List(item) => format!(": [{item}]"),
                    FieldType::Amount => ": amount".to_owned(),
                    FieldType::OneOf(names) => format!(": {}", names.join(" \\| ")),
                    _ => String::new(),
                };
                format!("`{}`{}{ty}", f.name, if f.optional { "?" } else { "" })
            })
            .collect();
        let name = if s.item {
            format!("({}, in lists)", s.name)
        } else {
            format!("`{}`", s.name)
        };
        writeln!(out, "| {name} | {} | {} |", fields.join(", "), s.summary).unwrap();
    }
    out
}

// ---- Python ----------------------------------------------------------------------------------

fn py_type(ty: FieldType) -> String {
    match ty {
        FieldType::Text | FieldType::Amount => "str".to_owned(),
        FieldType::Int => "int".to_owned(),
        FieldType::Bool => "bool".to_owned(),
        FieldType::OneOf(names) => {
            let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            format!("Literal[{}]", quoted.join(", "))
        }
        FieldType::List(item) => format!("List[{}]", pascal(item)),
    }
}

/// The TypedDict name of a shape: `CompletedOutcome`, or for an item `InstallmentPrice`.
fn py_shape_name(s: &Shape) -> String {
    if s.item {
        pascal(s.name)
    } else {
        format!("{}Outcome", pascal(s.name))
    }
}

fn python_outcomes() -> String {
    let mut out = format!("\"\"\"Typed shapes of odeme's responses: one ``TypedDict`` per outcome type and list item.\n\n{NOTICE}\n\nThey describe the plain dicts odeme returns, for type checkers and editors; they cost nothing\nat run time. Amounts are ``str`` (exact digits); optional fields may be ``None`` or absent.\n\"\"\"\n\nfrom __future__ import annotations\n\nfrom typing import Any, Dict, List, Literal, Optional, TypedDict\n\n__all__ = [\n");
    let mut names = Vec::new();
    for s in SHAPES {
        names.push(py_shape_name(s));
        if !s.item {
            names.push(format!("{}Response", pascal(s.name)));
        }
    }
    names.dedup();
    for n in &names {
        writeln!(out, "    \"{n}\",").unwrap();
    }
    out.push_str("]\n");
    // Items first: the outcomes name them.
    let ordered: Vec<&Shape> = SHAPES
        .iter()
        .filter(|s| s.item)
        .chain(outcome_shapes())
        .collect();
    for s in ordered {
        let name = py_shape_name(s);
        let required: Vec<_> = s.fields.iter().filter(|f| !f.optional).collect();
        let optional: Vec<_> = s.fields.iter().filter(|f| f.optional).collect();
        write!(out, "\n\nclass _{name}Required(TypedDict):\n").unwrap();
        if !s.item {
            writeln!(out, "    type: Literal[\"{}\"]", s.name).unwrap();
        }
        for f in &required {
            writeln!(out, "    {}: {}", f.name, py_type(f.ty)).unwrap();
        }
        if required.is_empty() && s.item {
            out.push_str("    pass\n");
        }
        write!(
            out,
            "\n\nclass {name}(_{name}Required, total=False):\n    \"\"\"{}\"\"\"\n",
            s.summary
        )
        .unwrap();
        if !optional.is_empty() {
            out.push('\n');
        }
        for f in &optional {
            writeln!(out, "    {}: Optional[{}]", f.name, py_type(f.ty)).unwrap();
        }
    }
    out.push_str(
        "\n\nclass _Response(TypedDict):\n    operation: str\n    provider_reference: Optional[str]\n    raw: Dict[str, Any]\n",
    );
    for s in outcome_shapes() {
        let p = pascal(s.name);
        write!(
            out,
            "\n\nclass {p}Response(_Response):\n    outcome: {p}Outcome\n"
        )
        .unwrap();
    }
    out
}

/// The return annotation of an operation's method.
fn py_return(d: &OperationDef) -> String {
    let names: Vec<String> = d
        .outcome
        .iter()
        .map(|o| format!("{}Response", pascal(o)))
        .collect();
    if names.len() == 1 {
        names[0].clone()
    } else {
        format!("Union[{}]", names.join(", "))
    }
}

fn python_operations() -> String {
    let mut imports: Vec<String> = all()
        .flat_map(|d| d.outcome.iter().map(|o| format!("{}Response", pascal(o))))
        .collect();
    imports.sort();
    imports.dedup();
    let mut out = format!(
        "\"\"\"One class per provider, one method per declared operation.\n\n{NOTICE}\n\"\"\"\n\n\
         from __future__ import annotations\n\n\
         from typing import TYPE_CHECKING, Any, Dict, Mapping, Union, cast\n\n\
         from ._outcomes import (\n"
    );
    for i in &imports {
        writeln!(out, "    {i},").unwrap();
    }
    out.push_str(")\n\nif TYPE_CHECKING:\n    from . import Client\n\n__all__ = [\"Operations\"");
    for p in providers() {
        write!(out, ", \"{}\"", pascal(p)).unwrap();
    }
    out.push_str(
        "]\n\nRequest = Mapping[str, Any]\n\n\nclass _Provider:\n    def __init__(self, client: \"Client\") -> None:\n        self._client = client\n\n    def _call(self, operation: str, request: Request) -> Dict[str, Any]:\n        return self._client.call(operation, request)\n",
    );
    for p in providers() {
        write!(
            out,
            "\n\nclass {}(_Provider):\n    \"\"\"{p} operations.\"\"\"\n",
            pascal(p)
        )
        .unwrap();
        for d in all().filter(|d| d.provider() == p) {
            let verb = d.name.split_once('.').unwrap().1;
            let ret = py_return(d);
            write!(
                out,
                "\n    def {verb}(self, request: Request) -> {ret}:\n        \"\"\"{}.\n\n        {}.\"\"\"\n        return cast({ret}, self._call(\"{}\", request))\n",
                d.summary,
                call_line(d, "``"),
                d.name
            )
            .unwrap();
        }
    }
    out.push_str("\n\nclass Operations:\n    \"\"\"The providers' operations: ``client.iyzico.create_payment(...)``.\"\"\"\n\n");
    for p in providers() {
        writeln!(out, "    {p}: {}", pascal(p)).unwrap();
    }
    out.push_str("\n    def _attach_providers(self, client: \"Client\") -> None:\n");
    for p in providers() {
        writeln!(out, "        self.{p} = {}(client)", pascal(p)).unwrap();
    }
    out
}

// ---- PHP -------------------------------------------------------------------------------------

fn php_operations() -> String {
    let mut out = format!(
        "<?php\n\n// {}\n\ndeclare(strict_types=1);\n\nnamespace Odeme;\n\n\
         /**\n * One method per declared operation (`provider.verb` -> providerVerb), used by Client.\n * Each returns the decoded response: `operation`, `outcome`, `provider_reference`, `raw`, with\n * every non-integer number as a string of its exact digits.\n */\ntrait Operations\n{{\n",
        NOTICE.replace('\n', "\n// ")
    );
    let mut first = true;
    for d in all() {
        if !first {
            out.push('\n');
        }
        first = false;
        write!(
            out,
            "    /**\n     * {}.\n     * {}.\n     *\n     * @param array<string, mixed> $request\n     * @return array<string, mixed>\n     */\n    public function {}(array $request): array\n    {{\n        return $this->call('{}', $request);\n    }}\n",
            d.summary,
            call_line(d, "`"),
            camel(d.name),
            d.name
        )
        .unwrap();
    }
    out.push_str("}\n");
    out
}

// ---- C# --------------------------------------------------------------------------------------

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn csharp_operations() -> String {
    let mut out = format!(
        "// {}\n\nnamespace Odeme\n{{\n    public sealed partial class OdemeClient\n    {{\n",
        NOTICE.replace('\n', "\n// ")
    );
    let mut first = true;
    for d in all() {
        if !first {
            out.push('\n');
        }
        first = false;
        write!(
            out,
            "        /// <summary>{}. {}.</summary>\n        public OdemeResponse {}(string requestJson) {{ return CallTyped(\"{}\", requestJson); }}\n",
            xml(d.summary),
            xml(&call_line(d, "")),
            pascal(d.name),
            d.name
        )
        .unwrap();
    }
    out.push_str("    }\n}\n");
    out
}

/// The C# type of a field in the wire class `DataContractJsonSerializer` fills.
fn cs_wire_type(ty: FieldType) -> String {
    match ty {
        FieldType::Text | FieldType::Amount | FieldType::OneOf(_) => "string".to_owned(),
        FieldType::Int => "long?".to_owned(),
        FieldType::Bool => "bool?".to_owned(),
        FieldType::List(item) => format!("List<{}Wire>", pascal(item)),
    }
}

/// The C# type of a typed property.
fn cs_type(ty: FieldType, optional: bool) -> String {
    match ty {
        FieldType::Text | FieldType::Amount | FieldType::OneOf(_) => "string".to_owned(),
        FieldType::Int => if optional { "long?" } else { "long" }.to_owned(),
        FieldType::Bool => if optional { "bool?" } else { "bool" }.to_owned(),
        FieldType::List(item) => format!("IReadOnlyList<{}>", cs_item(item)),
    }
}

/// The expression that reads wire field `f` of `w` into its typed property.
fn cs_read(f: &odeme::outcome::Field) -> String {
    let w = format!("w.@{}", f.name);
    let missing = if f.optional {
        "null".to_owned()
    } else {
        format!("throw Wire.Missing(\"{}\")", f.name)
    };
    match f.ty {
        FieldType::List(item) => format!(
            "{w} == null ? {missing} : {w}.ConvertAll(x => new {}(x)).AsReadOnly()",
            cs_item(item)
        ),
        _ if f.optional => w,
        _ => format!("{w} ?? {missing}"),
    }
}

/// The C# class of an item shape: its name, unless a property has that name (C# forbids it).
fn cs_item(name: &str) -> String {
    let shape = odeme::outcome::shape(name).unwrap();
    if shape.fields.iter().any(|f| pascal(f.name) == pascal(name)) {
        format!("{}Info", pascal(name))
    } else {
        pascal(name)
    }
}

fn cs_doc(f: &odeme::outcome::Field) -> String {
    let mut doc = match f.ty {
        FieldType::Amount => {
            "An amount: the exact digits, as a string (never a double).".to_owned()
        }
        FieldType::OneOf(names) => format!("One of: {}.", names.join(", ")),
        _ => String::new(),
    };
    if f.optional {
        doc.push_str(if doc.is_empty() {
            "May be null."
        } else {
            " May be null."
        });
    }
    doc
}

fn csharp_outcomes() -> String {
    let mut out = format!(
        "// {}\nusing System.Collections.Generic;\nusing System.Runtime.Serialization;\n\nnamespace Odeme\n{{\n",
        NOTICE.replace('\n', "\n// ")
    );
    // Wire classes: the union of every outcome field, and one per item shape.
    let mut union: Vec<odeme::outcome::Field> = Vec::new();
    for s in outcome_shapes() {
        for f in s.fields {
            match union.iter().find(|u| u.name == f.name) {
                Some(u) => assert_eq!(
                    cs_wire_type(u.ty),
                    cs_wire_type(f.ty),
                    "{}: one name, two types",
                    f.name
                ),
                None => union.push(*f),
            }
        }
    }
    out.push_str("    [DataContract]\n    internal sealed class OutcomeWire\n    {\n        [DataMember(Name = \"type\")] internal string @type;\n");
    for f in &union {
        writeln!(
            out,
            "        [DataMember(Name = \"{0}\")] internal {1} @{0};",
            f.name,
            cs_wire_type(f.ty)
        )
        .unwrap();
    }
    out.push_str("    }\n");
    for s in SHAPES.iter().filter(|s| s.item) {
        write!(
            out,
            "\n    [DataContract]\n    internal sealed class {}Wire\n    {{\n",
            pascal(s.name)
        )
        .unwrap();
        for f in s.fields {
            writeln!(
                out,
                "        [DataMember(Name = \"{0}\")] internal {1} @{0};",
                f.name,
                cs_wire_type(f.ty)
            )
            .unwrap();
        }
        out.push_str("    }\n");
    }
    // Typed classes.
    let class = |out: &mut String,
                 name: &str,
                 base: &str,
                 ctor_base: &str,
                 s: &Shape,
                 wire: &str| {
        write!(
            out,
            "\n    /// <summary>{}</summary>\n    public sealed class {name}{base}\n    {{\n        internal {name}({wire} w){ctor_base}\n        {{\n",
            xml(s.summary)
        )
        .unwrap();
        for f in s.fields {
            writeln!(out, "            {} = {};", pascal(f.name), cs_read(f)).unwrap();
        }
        out.push_str("        }\n");
        for f in s.fields {
            let doc = cs_doc(f);
            if !doc.is_empty() {
                writeln!(out, "\n        /// <summary>{}</summary>", xml(&doc)).unwrap();
            } else {
                out.push('\n');
            }
            writeln!(
                out,
                "        public {} {} {{ get; private set; }}",
                cs_type(f.ty, f.optional),
                pascal(f.name)
            )
            .unwrap();
        }
        out.push_str("    }\n");
    };
    for s in SHAPES.iter().filter(|s| s.item) {
        let wire = format!("{}Wire", pascal(s.name));
        class(&mut out, &cs_item(s.name), "", "", s, &wire);
    }
    for s in outcome_shapes() {
        let name = format!("{}Outcome", pascal(s.name));
        let ctor = format!(" : base(\"{}\")", s.name);
        class(&mut out, &name, " : OdemeOutcome", &ctor, s, "OutcomeWire");
    }
    out.push_str("\n    public abstract partial class OdemeOutcome\n    {\n        /// <summary>The typed outcome of its wire form (an outcome type this binding predates: <see cref=\"UnknownOutcome\"/>).</summary>\n        internal static OdemeOutcome From(OutcomeWire w)\n        {\n            if (w == null) throw Wire.Missing(\"outcome\");\n            switch (w.@type)\n            {\n");
    for s in outcome_shapes() {
        writeln!(
            out,
            "                case \"{}\": return new {}Outcome(w);",
            s.name,
            pascal(s.name)
        )
        .unwrap();
    }
    out.push_str("                case null: throw Wire.Missing(\"outcome.type\");\n                default: return new UnknownOutcome(w.@type);\n            }\n        }\n    }\n}\n");
    out
}

// ---- the check -------------------------------------------------------------------------------

#[test]
fn generated_files_are_current() {
    let root = root();
    let mut files: Vec<(PathBuf, String)> = vec![
        (
            root.join("bindings/python/python/odeme/_outcomes.py"),
            python_outcomes(),
        ),
        (
            root.join("bindings/python/python/odeme/_operations.py"),
            python_operations(),
        ),
        (
            root.join("bindings/php/src/Operations.php"),
            php_operations(),
        ),
        (
            root.join("bindings/dotnet/src/Operations.g.cs"),
            csharp_operations(),
        ),
        (
            root.join("bindings/dotnet/src/Outcomes.g.cs"),
            csharp_outcomes(),
        ),
    ];
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (begin, end) = ("<!-- operations:begin -->\n", "<!-- operations:end -->");
    let start = readme.find(begin).expect("begin marker") + begin.len();
    let stop = readme.find(end).expect("end marker");
    files.push((
        readme_path,
        format!("{}{}{}", &readme[..start], readme_table(), &readme[stop..]),
    ));
    let bless = std::env::var_os("ODEME_BLESS").is_some();
    let mut stale = Vec::new();
    for (path, want) in files {
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have != want {
            if bless {
                std::fs::write(&path, want).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: ODEME_BLESS=1 cargo test -p odeme --test generated"
    );
}

#[test]
fn every_provider_has_a_python_class_name_and_every_operation_a_distinct_method() {
    let mut methods: Vec<String> = all().map(|d| camel(d.name)).collect();
    let n = methods.len();
    methods.sort();
    methods.dedup();
    assert_eq!(methods.len(), n, "two operations map to one method name");
    assert_eq!(camel("iyzico.init_3ds"), "iyzicoInit3ds");
    assert_eq!(pascal("esnekpos.pay_3d"), "EsnekposPay3d");
}
