//! `SyncHtml`: renders a view that has no asynchronous parts through Leptos' synchronous HTML
//! path, even when the page is rendered asynchronously.
//!
//! Pages with `SsrMode::Async` render every element through the asynchronous path, which
//! builds two temporary strings per element (the opening and the closing tag) and copies them
//! into the stream. The storefront's listing has several hundred elements, all known once its
//! data has loaded; writing them into one buffer removes most of those allocations. The
//! markup is the same either way, so hydration and client-side rendering are unchanged.
//!
//! Only wrap views that contain no `Suspense`/`Suspend`: the synchronous path renders their
//! fallbacks instead of waiting.

use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::{add_attr::AddAnyAttr, Position, PositionState, Render, RenderHtml};

pub struct SyncHtml<T>(pub T);

impl<T: Render> Render for SyncHtml<T> {
    type State = T::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<T: RenderHtml> RenderHtml for SyncHtml<T> {
    type AsyncOutput = SyncHtml<T::AsyncOutput>;
    type Owned = SyncHtml<T::Owned>;

    const MIN_LENGTH: usize = T::MIN_LENGTH;
    const EXISTS: bool = T::EXISTS;

    async fn resolve(self) -> Self::AsyncOutput {
        SyncHtml(self.0.resolve().await)
    }

    fn dry_resolve(&mut self) {
        self.0.dry_resolve();
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
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
        let mut html = String::with_capacity(self.0.html_len().max(4096));
        self.0
            .to_html_with_buf(&mut html, position, escape, mark_branches, extra_attrs);
        buf.push_sync(&html);
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    async fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate_async(cursor, position).await
    }

    fn into_owned(self) -> Self::Owned {
        SyncHtml(self.0.into_owned())
    }
}

impl<T: AddAnyAttr> AddAnyAttr for SyncHtml<T> {
    type Output<SomeNewAttr: Attribute> = SyncHtml<T::Output<SomeNewAttr>>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        SyncHtml(self.0.add_any_attr(attr))
    }
}
