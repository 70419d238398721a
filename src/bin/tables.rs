//! Prints the operation tables as JSON, docs and rules included: `make build` writes them to
//! pkg/operations.json, which the CLI's help, docs/API.md (pkg-template/gen-docs.mjs) and the
//! demo page read through `loadTables()` (pkg-template/tables.mjs). The client wasm carries no
//! docs: its entries get only the names and parameter lists the classes are derived from.

fn main() {
    println!("{}", workbridge::vendors::describe_all().to_json_string());
}
