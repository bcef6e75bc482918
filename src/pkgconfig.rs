//! Just enough of pkg-config's `.pc` format to write relocatable files and read them back.

use std::collections::HashMap;

/// The `${pcfiledir}`-relative prefix that makes a `.pc` file relocatable.
pub const RELOCATABLE_PREFIX: &str = "${pcfiledir}/../..";

/// A parsed `.pc` file: variables and fields (`Libs`, `Cflags`, …), unexpanded.
#[derive(Debug, Default)]
pub struct PcFile {
    variables: Vec<(String, String)>,
    fields: HashMap<String, String>,
}

impl PcFile {
    /// Parse a `.pc` file; unknown lines are ignored.
    pub fn parse(text: &str) -> PcFile {
        let mut pc = PcFile::default();
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let split = line.find(['=', ':']);
            match split.map(|i| (i, line.as_bytes()[i])) {
                Some((i, b'=')) => pc
                    .variables
                    .push((line[..i].trim().to_owned(), line[i + 1..].trim().to_owned())),
                Some((i, _)) => {
                    pc.fields
                        .insert(line[..i].trim().to_owned(), line[i + 1..].trim().to_owned());
                }
                None => {}
            }
        }
        pc
    }

    /// A field with every `${var}` expanded; `pcfiledir` is the folder the file lives in.
    pub fn field(&self, name: &str, pcfiledir: &str) -> String {
        let values = self.values(pcfiledir);
        self.fields
            .get(name)
            .map(|raw| expand(raw, &values))
            .unwrap_or_default()
    }

    /// A field as the list of arguments pkg-config would give: split on
    /// unescaped white space first, then expanded, so a `pcfiledir` holding a
    /// space stays inside one argument.
    pub fn field_args(&self, name: &str, pcfiledir: &str) -> Vec<String> {
        let values = self.values(pcfiledir);
        self.fields
            .get(name)
            .map(|raw| {
                split_args(raw)
                    .iter()
                    .map(|arg| expand(arg, &values))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn values(&self, pcfiledir: &str) -> HashMap<&str, String> {
        let mut values: HashMap<&str, String> =
            HashMap::from([("pcfiledir", pcfiledir.to_owned())]);
        for (key, raw) in &self.variables {
            let expanded = expand(raw, &values);
            values.insert(key, expanded);
        }
        values
    }
}

/// Split on white space; a backslash keeps the next character (pkg-config's escaping).
fn split_args(raw: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            c if c.is_whitespace() => {
                if !current.is_empty() {
                    args.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        args.push(current);
    }
    args
}

/// Join arguments into one flags string as pkg-config prints it: spaces and
/// shell specials inside an argument are backslash-escaped, so a Makefile
/// recipe or `eval` splits it back into the same arguments.
pub fn join_args(args: &[String]) -> String {
    args.iter()
        .map(|arg| {
            arg.chars().fold(String::new(), |mut out, c| {
                if c.is_whitespace() || "\\'\"$`;&|<>()#*?[]{}~!".contains(c) {
                    out.push('\\');
                }
                out.push(c);
                out
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn expand(raw: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::new();
    let mut rest = raw;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                let name = &rest[start + 2..start + end];
                out.push_str(values.get(name).map_or("", String::as_str));
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Make an installed `.pc` relocatable: `prefix` follows the file, the build-time
/// prefix disappears, and `libs_private` is appended to `Libs.private`.
pub fn relocate(text: &str, install_prefix: &str, libs_private: &[String]) -> String {
    let mut out = String::new();
    let mut saw_private = false;
    for line in text.lines() {
        let line = if line.trim_start().starts_with("prefix=") {
            format!("prefix={RELOCATABLE_PREFIX}")
        } else {
            line.replace(install_prefix, "${prefix}")
        };
        if line.starts_with("Libs.private:") && !libs_private.is_empty() {
            saw_private = true;
            out.push_str(&format!("{} {}\n", line.trim_end(), libs_private.join(" ")));
        } else {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !saw_private && !libs_private.is_empty() {
        out.push_str(&format!("Libs.private: {}\n", libs_private.join(" ")));
    }
    out
}

/// A `.pc` file for a library whose upstream installs none.
pub fn generate(name: &str, description: &str, version: &str, libs: &str, cflags: &str) -> String {
    format!(
        "prefix={RELOCATABLE_PREFIX}\nexec_prefix=${{prefix}}\nlibdir=${{exec_prefix}}/lib\nincludedir=${{prefix}}/include\n\n\
         Name: {name}\nDescription: {description}\nVersion: {version}\nLibs: -L${{libdir}} {libs}\nCflags: -I${{includedir}} {cflags}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const UPSTREAM: &str = "prefix=/stage\nlibdir=/stage/lib\nincludedir=${prefix}/include\n\nName: libmpdec\nLibs: -L${libdir} -lmpdec\nCflags: -I${includedir}\n";

    #[test]
    fn relocated_files_resolve_against_their_folder() {
        let text = relocate(UPSTREAM, "/stage", &["-lwasi-emulated-signal".into()]);
        assert!(!text.contains("/stage"), "{text}");
        let pc = PcFile::parse(&text);
        assert_eq!(
            pc.field("Libs", "/new/lib/pkgconfig"),
            "-L/new/lib/pkgconfig/../../lib -lmpdec"
        );
        assert_eq!(pc.field("Libs.private", "/x"), "-lwasi-emulated-signal");
        assert_eq!(pc.field("Cflags", "/x"), "-I/x/../../include");
    }

    #[test]
    fn a_folder_with_spaces_stays_one_argument() {
        let pc = PcFile::parse(&generate("z", "z", "1", "-lz", "-DA\\ B"));
        let libs = pc.field_args("Libs", "/a dir/lib/pkgconfig");
        assert_eq!(libs, ["-L/a dir/lib/pkgconfig/../../lib", "-lz"]);
        let cflags = pc.field_args("Cflags", "/p");
        assert_eq!(cflags, ["-I/p/../../include", "-DA B"]);
        assert_eq!(join_args(&libs), "-L/a\\ dir/lib/pkgconfig/../../lib -lz");
    }

    #[test]
    fn generated_files_parse_back() {
        let pc = PcFile::parse(&generate(
            "bzip2",
            "bzip2 compression",
            "1.0.8",
            "-lbz2",
            "",
        ));
        assert_eq!(
            pc.field("Libs", "/p/lib/pkgconfig"),
            "-L/p/lib/pkgconfig/../../lib -lbz2"
        );
        assert_eq!(pc.field("Version", "/p"), "1.0.8");
    }
}
