//! `SyncHtml`: a view built only when it is rendered, and rendered through Leptos' synchronous
//! HTML path even when the page is rendered asynchronously.
//!
//! - Lazy: `<Suspense>` walks its children once more (`dry_resolve`) when its data has loaded,
//!   and a `Suspend` whose data is ready builds its whole view during that walk, only to drop
//!   it. Wrapping the loaded view in a closure makes that walk cost nothing; the view is built
//!   once, when the page is written out.
//! - Synchronous: pages with `SsrMode::Async` render every element through the asynchronous
//!   path, which builds two temporary strings per element (the opening and the closing tag).
//!   The storefront's listing has several hundred elements, all known once its data has
//!   loaded; writing them into one buffer removes most of those allocations.
//!
//! The markup is the same either way, so hydration and client-side rendering are unchanged.
//! Only wrap views that contain no `Suspense`/`Suspend` and read no resource: the synchronous
//! path renders their fallbacks instead of waiting, and the skipped walk would not see them.

use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::{add_attr::AddAnyAttr, Position, PositionState, Render, RenderHtml};

/// `SyncHtml(move || view! { … })`.
pub struct SyncHtml<F>(pub F);

/// A listing page is about 16 KB of markup: start the buffer there instead of growing it.
const INITIAL_CAPACITY: usize = 16 * 1024;

impl<F, V> Render for SyncHtml<F>
where
    F: FnOnce() -> V,
    V: Render,
{
    type State = V::State;

    fn build(self) -> Self::State {
        (self.0)().build()
    }

    fn rebuild(self, state: &mut Self::State) {
        (self.0)().rebuild(state)
    }
}

impl<F, V> RenderHtml for SyncHtml<F>
where
    F: FnOnce() -> V + Send + 'static,
    V: RenderHtml,
{
    type AsyncOutput = Self;
    type Owned = Self;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    async fn resolve(self) -> Self::AsyncOutput {
        self
    }

    // Nothing to walk: the view reads no resource (see the module notes).
    fn dry_resolve(&mut self) {}

    fn html_len(&self) -> usize {
        INITIAL_CAPACITY
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        (self.0)().to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        let mut html = String::with_capacity(INITIAL_CAPACITY);
        (self.0)().to_html_with_buf(&mut html, position, escape, mark_branches, extra_attrs);
        buf.push_sync(&html);
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        (self.0)().hydrate::<FROM_SERVER>(cursor, position)
    }

    async fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        (self.0)().hydrate_async(cursor, position).await
    }

    fn into_owned(self) -> Self::Owned {
        self
    }
}

impl<F, V> AddAnyAttr for SyncHtml<F>
where
    F: FnOnce() -> V + Send + 'static,
    V: RenderHtml,
{
    type Output<SomeNewAttr: Attribute> = V::Output<SomeNewAttr>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        (self.0)().add_any_attr(attr)
    }
}
