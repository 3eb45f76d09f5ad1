//! `errdecode list`: the catalog as it is compiled in, in catalog order (grouped by
//! product, as in `catalog/`), so the output is stable from run to run.

use std::io::{self, Write};

use super::Outcome;
use super::entries::{self, Format};
use crate::catalog::{ENTRIES, Entry};
use crate::lookup::Scope;

/// Every entry `scope` allows, in catalog order.
pub fn list(scope: Scope) -> Vec<&'static Entry> {
    ENTRIES.iter().filter(|e| scope.allows(e)).collect()
}

pub fn run(out: &mut impl Write, scope: Scope, format: Format) -> io::Result<Outcome> {
    let found = list(scope);
    entries::write(out, &found, format)?;
    if found.is_empty() {
        // Only a vendor and a product that exclude each other get here.
        crate::say!("{}", crate::words::words().no_entry_in_scope());
        return Ok(Outcome::NothingFound);
    }
    Ok(Outcome::Found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Product, Vendor};

    #[test]
    fn product_narrows_to_that_product() {
        let scope = Scope {
            vendor: None,
            product: Some(Product::Imm),
        };
        let found = list(scope);
        assert!(!found.is_empty());
        assert!(found.iter().all(|e| e.product == Product::Imm));
    }

    #[test]
    fn vendor_keeps_all_of_its_products() {
        let scope = Scope {
            vendor: Some(Vendor::Tencent),
            product: None,
        };
        let found = list(scope);
        assert!(found.iter().any(|e| e.product == Product::Ci));
        assert!(found.iter().any(|e| e.product == Product::Cos));
        assert!(found.iter().all(|e| e.vendor == Vendor::Tencent));
    }
}
