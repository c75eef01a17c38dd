//! The page tree, walked by us rather than by lopdf so that cycles, repeated kids and huge
//! page counts are caught with a clear error, and inherited `/Resources` are carried down.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{deref, name_of, number};

/// Page tree nodes nest at most this deep (real files: 2-5).
const MAX_TREE_DEPTH: usize = 64;

pub(super) struct Page<'d> {
    pub(super) dict: &'d Dictionary,
    pub(super) resources: Option<&'d Dictionary>,
    /// `[x0, y0, x1, y1]` of the media box.
    pub(super) media_box: [f32; 4],
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum PageTreeError {
    NoCatalog,
    TooManyPages { limit: u32 },
}

pub(super) struct PageTree<'d> {
    pub(super) pages: Vec<Page<'d>>,
    /// A node that was reached twice (a cycle or a shared kid), if any.
    pub(super) revisited: Option<ObjectId>,
}

const A4: [f32; 4] = [0.0, 0.0, 595.0, 842.0];

pub(super) fn walk(doc: &Document, max_pages: u32) -> Result<PageTree<'_>, PageTreeError> {
    let root = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|p| p.as_reference().ok())
        .ok_or(PageTreeError::NoCatalog)?;
    let mut tree = PageTree {
        pages: Vec::new(),
        revisited: None,
    };
    let mut seen: HashSet<ObjectId> = HashSet::new();
    // (node, inherited resources, inherited media box, depth)
    let mut stack: Vec<(ObjectId, Option<&Dictionary>, [f32; 4], usize)> =
        vec![(root, None, A4, 0)];
    while let Some((id, inherited_res, inherited_box, depth)) = stack.pop() {
        if !seen.insert(id) {
            tree.revisited.get_or_insert(id);
            continue;
        }
        let Ok(dict) = doc.get_dictionary(id) else {
            continue;
        };
        let resources = deref(doc, dict.get(b"Resources").ok())
            .and_then(|o| o.as_dict().ok())
            .or(inherited_res);
        let media_box = media_box(doc, dict).unwrap_or(inherited_box);
        let kids = deref(doc, dict.get(b"Kids").ok()).and_then(|o| o.as_array().ok());
        let is_pages = name_of(doc, dict.get(b"Type").ok()) == Some(b"Pages");
        match kids {
            Some(kids) if is_pages || name_of(doc, dict.get(b"Type").ok()).is_none() => {
                if depth >= MAX_TREE_DEPTH {
                    continue;
                }
                for kid in kids.iter().rev() {
                    if let Object::Reference(kid) = kid {
                        stack.push((*kid, resources, media_box, depth + 1));
                    }
                }
                if stack.len() > max_pages as usize * 4 + 1024 {
                    return Err(PageTreeError::TooManyPages { limit: max_pages });
                }
            }
            _ if is_pages => {}
            _ => {
                if tree.pages.len() >= max_pages as usize {
                    return Err(PageTreeError::TooManyPages { limit: max_pages });
                }
                tree.pages.push(Page {
                    dict,
                    resources,
                    media_box,
                });
            }
        }
    }
    Ok(tree)
}

fn media_box(doc: &Document, dict: &Dictionary) -> Option<[f32; 4]> {
    let arr = deref(doc, dict.get(b"MediaBox").ok())?.as_array().ok()?;
    let mut b = [0f32; 4];
    if arr.len() != 4 {
        return None;
    }
    for (slot, o) in b.iter_mut().zip(arr) {
        *slot = deref(doc, Some(o)).and_then(number)?;
    }
    let [x0, y0, x1, y1] = b;
    Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)])
        .filter(|b| b[2] - b[0] > 1.0 && b[3] - b[1] > 1.0)
}

/// The ids of a page's content streams, in order.
pub(super) fn content_ids(doc: &Document, page: &Page<'_>) -> Vec<ObjectId> {
    let mut out = Vec::new();
    match page.dict.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(arr)) => out.extend(arr.iter().filter_map(|o| o.as_reference().ok())),
            _ => out.push(*id),
        },
        Ok(Object::Array(arr)) => out.extend(arr.iter().filter_map(|o| o.as_reference().ok())),
        _ => {}
    }
    out
}
