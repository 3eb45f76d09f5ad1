//! The command line: every flag is defined and documented here, once. Help text,
//! completions and the man page all come from these definitions.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use crate::catalog::{Product, Vendor};

const EXAMPLES: &str = "\
Examples:
  errdecode -46618                         a bare code (negative numbers need no --)
  errdecode AccessDenied                   every product that uses the code, best first
  errdecode MissingProjectName             IMM's Missing{ParameterName} template
  errdecode 0003-00000201                  an OSS EC value
  errdecode '<Error><Code>NoSuchKey</Code>...</Error>'   a pasted XML or JSON body
  curl -si URL | errdecode                 a curl -i dump on stdin
  curl -sv URL 2>&1 | errdecode            a curl -v trace, request lines included
  errdecode --file dump.txt                a saved response or SDK log
  errdecode --json -46618 | jq .matches    machine-readable output

Exit status: 0 explained, 1 nothing recognised, 2 usage or input error.";

/// Explains Alibaba Cloud (OSS, OSS image processing, IMM) and Tencent Cloud (COS,
/// Cloud Infinite) error responses. Offline: nothing you paste leaves the machine.
#[derive(Debug, Parser)]
#[command(name = "errdecode", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// The error: a code, an XML or JSON body, an SDK line, or `-` for stdin.
    /// Several arguments are joined with spaces. Without INPUT or --file, stdin is read.
    #[arg(value_name = "INPUT", allow_negative_numbers = true)]
    pub input: Vec<String>,

    /// Read the error from FILE instead of the arguments.
    #[arg(short, long, value_name = "FILE", conflicts_with = "input")]
    pub file: Option<PathBuf>,

    /// Print one JSON object (schema in README.md) instead of the table.
    #[arg(long)]
    pub json: bool,

    /// When to colour the table: auto colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    /// Only consider codes of this vendor.
    #[arg(long, value_enum, value_name = "VENDOR")]
    pub vendor: Option<VendorArg>,

    /// Only consider codes of this product.
    #[arg(long, value_enum, value_name = "PRODUCT")]
    pub product: Option<ProductArg>,

    /// Refuse input larger than this many MiB (read before anything is parsed).
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub max_input_mib: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum VendorArg {
    /// Alibaba Cloud
    Aliyun,
    /// Tencent Cloud
    Tencent,
}

impl From<VendorArg> for Vendor {
    fn from(v: VendorArg) -> Vendor {
        match v {
            VendorArg::Aliyun => Vendor::Aliyun,
            VendorArg::Tencent => Vendor::Tencent,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ProductArg {
    /// Alibaba Cloud Object Storage Service
    Oss,
    /// OSS image processing
    OssImg,
    /// Alibaba Cloud Intelligent Media Management
    Imm,
    /// Tencent Cloud Infinite (incl. X-ErrNo codes)
    Ci,
    /// Tencent Cloud Object Storage
    Cos,
}

impl From<ProductArg> for Product {
    fn from(p: ProductArg) -> Product {
        match p {
            ProductArg::Oss => Product::Oss,
            ProductArg::OssImg => Product::OssImg,
            ProductArg::Imm => Product::Imm,
            ProductArg::Ci => Product::Ci,
            ProductArg::Cos => Product::Cos,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn negative_codes_are_values() {
        let cli = Cli::try_parse_from(["errdecode", "-46618"]).unwrap();
        assert_eq!(cli.input, ["-46618"]);
    }
}
