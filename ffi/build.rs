//! Gives the shared library an ELF SONAME, `libodeme.so.MAJOR` (from the package version), so
//! that programs linked against it record the major version and a later incompatible major can
//! be installed next to it. `scripts/install-c` installs `libodeme.so.MAJOR.MINOR.PATCH` with the
//! `libodeme.so.MAJOR` and `libodeme.so` (development) symlinks.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux"
            | "android"
            | "freebsd"
            | "netbsd"
            | "openbsd"
            | "dragonfly"
            | "illumos"
            | "solaris"
    );
    if elf {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("set by cargo");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libodeme.so.{major}");
    }
}
