//! Versions in tag names (`sqlite-3.50.4.0`), ordered the way people read them:
//! numerically per dot-component, so `3.50.4.0` is newer than `3.9.1.0`. Used by
//! `outdated` to find the tags newer than a pin. A plain string order gets that
//! wrong, and a strict semver parser refuses four-part versions like sqlite's.

/// A version such as `3.50.4.0` or `1.0.2u`: dot-separated components, each a
/// number with an optional suffix (`2u`: 2, then `u`). Ordered component by
/// component, the number first, then the suffix; a version that is a prefix of
/// another is the older one (`3.50.4` < `3.50.4.0`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    components: Vec<(u64, String)>,
}

impl Version {
    /// The version in `text`, or `None` unless every dot-component starts
    /// with a digit (`3.50.4.0` yes; `main`, `3..1`, `2.x` no).
    pub fn parse(text: &str) -> Option<Version> {
        let components = text
            .split('.')
            .map(|part| {
                let digits = part.bytes().take_while(u8::is_ascii_digit).count();
                let number = part[..digits].parse::<u64>().ok()?;
                Some((number, part[digits..].to_owned()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Version { components })
    }
}

/// `sqlite-3.50.4.0` → (`sqlite`, 3.50.4.0); `zlib-ng-2.2.4` → (`zlib-ng`, 2.2.4):
/// the name is everything before the first `-` followed by a digit.
pub fn split_tag(tag: &str) -> Option<(&str, Version)> {
    let version = crate::config::version_of_tag(tag);
    if version.len() == tag.len() {
        return None;
    }
    let name = &tag[..tag.len() - version.len() - 1];
    Some((name, Version::parse(version)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn components_compare_as_numbers() {
        assert!(v("3.50.4.0") > v("3.9.1.0"));
        assert!(v("1.3.1") > v("1.2.13"));
        assert!(v("3.50.4") < v("3.50.4.0"));
        assert!(v("1.0.2") < v("1.0.2u"));
        assert_eq!(v("5.2.5"), v("5.2.5"));
        for bad in ["", "main", "3..1", "2.x", "v1.2"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn tags_split_into_name_and_version() {
        let (name, version) = split_tag("zlib-ng-2.2.4").unwrap();
        assert_eq!((name, version), ("zlib-ng", v("2.2.4")));
        assert_eq!(split_tag("sqlite-3.50.4.0").unwrap().0, "sqlite");
        assert!(split_tag("main").is_none() && split_tag("tcl-8.x").is_none());
    }
}
