//! Collections that follow `@odata.nextLink`.

mod loop_detector;

use std::collections::VecDeque;

use futures_core::Stream;

use serde::Deserialize;

use crate::GraphEntity;
use crate::client::GraphClient;
use crate::entity::decode::from_slice;
use crate::error::{Error, PagingStop, Result};
use crate::meta::ResponseShape;
use crate::raw_response::RawResponse;
use crate::response::FromResponse;
use crate::types::Int64;
use crate::url_policy::display_url;
use loop_detector::LoopDetector;

/// One page of a collection, as Graph writes it.
#[derive(Deserialize)]
#[serde(bound = "T: serde::de::DeserializeOwned")]
struct PageBody<T> {
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
    #[serde(rename = "@odata.count")]
    count: Option<Int64>,
    /// On a delta query's last page: the link that reads what changes from here on.
    #[serde(rename = "@odata.deltaLink")]
    delta_link: Option<String>,
}

/// One page (`value`), without following `@odata.nextLink`.
impl<T: GraphEntity> FromResponse for Vec<T> {
    const SHAPE: ResponseShape = ResponseShape::Collection(T::META);

    fn from_response(response: RawResponse, _: &GraphClient) -> Result<Self> {
        Ok(from_slice::<PageBody<T>>(&response.body)?.value)
    }
}

/// Every page, fetched as they are read.
impl<T: GraphEntity> FromResponse for Pages<T> {
    const SHAPE: ResponseShape = ResponseShape::Collection(T::META);

    fn from_response(response: RawResponse, client: &GraphClient) -> Result<Self> {
        let page = from_slice::<PageBody<T>>(&response.body)?;
        Ok(Pages::new(client.clone(), page))
    }
}

/// A collection, page by page. The first page is already fetched; later pages are fetched
/// from `@odata.nextLink` (opaque, used verbatim, only on an allowed host).
///
/// `@odata.count` (ask for it with `Query::count(true)`) is kept from the first page that has it.
///
/// A listing that loops ends: when its `@odata.nextLink`s come round to one already followed,
/// it is [`Error::Paging`] with [`PagingStop::Loop`] (as the .NET SDK's `PageIterator` refuses
/// a link equal to the last), not pages read again. The check holds one hash, however long
/// the listing: a link repeated within two pages is caught before it is followed again, a
/// longer cycle within about twice its length.
///
/// A listing has no cap by default, since Graph's own can be long (every managed device of a
/// large tenant), and its memory stays flat however many pages it reads: each page is handed
/// out and dropped. [`Pages::max_pages`] and [`Pages::max_items`] cap a listing whose links
/// are all new but never end.
///
/// ```no_run
/// # async fn run<T: graphwire_core::GraphEntity>(pages: graphwire_core::Pages<T>) -> graphwire_core::Result<()> {
/// // At most 50 pages or 10,000 devices; more is an error, not a silent cut.
/// let devices = pages.max_pages(50).max_items(10_000).collect_all().await?;
/// # let _ = devices; Ok(()) }
/// ```
#[derive(Debug)]
pub struct Pages<T> {
    client: GraphClient,
    pending: Option<Vec<T>>,
    next_link: Option<String>,
    count: Option<i64>,
    pages_fetched: usize,
    items_read: usize,
    /// Whether the links followed so far came round to one before.
    loops: LoopDetector,
    max_pages: Option<usize>,
    max_items: Option<usize>,
    delta_link: Option<String>,
    /// Items of a page [`Pages::try_next`] has not handed out yet.
    buffer: VecDeque<T>,
}

impl<T: GraphEntity> Pages<T> {
    fn new(client: GraphClient, first: PageBody<T>) -> Self {
        Self {
            client,
            pending: Some(first.value),
            next_link: first.next_link,
            delta_link: first.delta_link,
            buffer: VecDeque::new(),
            count: first.count.map(|c| c.0),
            pages_fetched: 1,
            items_read: 0,
            loops: LoopDetector::default(),
            max_pages: None,
            max_items: None,
        }
    }

    /// Reads at most `pages` pages (the first included): a listing with more is
    /// [`Error::Paging`] with [`PagingStop::MaxPages`] before the next one is fetched.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Reads at most `items` items: a page that would pass the cap is [`Error::Paging`] with
    /// [`PagingStop::MaxItems`] instead of its items.
    pub fn max_items(mut self, items: usize) -> Self {
        self.max_items = Some(items);
        self
    }

    /// Counts a page's items against the cap and hands them out.
    fn take_page(&mut self, page: Vec<T>) -> Result<Option<Vec<T>>> {
        self.items_read += page.len();
        if let Some(cap) = self.max_items.filter(|cap| self.items_read > *cap) {
            self.next_link = None;
            return Err(Error::Paging(PagingStop::MaxItems(cap)));
        }
        Ok(Some(page))
    }

    /// `@odata.count`, if the service sent it.
    pub fn count(&self) -> Option<i64> {
        self.count
    }

    /// Pages fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages_fetched
    }

    /// `@odata.deltaLink`: on the last page of a delta query, the link that reads the changes
    /// made after this listing. Keep it and pass it to [`Pages::resume`] later.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }

    /// Lists from a link the service gave: a kept `@odata.deltaLink` (the changes since) or
    /// `@odata.nextLink`, under the same rules as any page (an allowed host, the client's
    /// token, retries and limits).
    pub async fn resume(client: &GraphClient, link: &str) -> Result<Self> {
        let url = client.followable(link, "the link")?;
        let response = client.get_absolute(url).await?.error_for_status()?;
        let page = from_slice::<PageBody<T>>(&response.body)?;
        let mut pages = Pages::new(client.clone(), page);
        pages.loops.comes_round(link);
        Ok(pages)
    }

    /// The next item, fetching the next page when this one is used up; `None` after the last.
    ///
    /// ```no_run
    /// # async fn run<T: graphwire_core::GraphEntity + std::fmt::Debug>(mut devices: graphwire_core::Pages<T>) -> graphwire_core::Result<()> {
    /// while let Some(device) = devices.try_next().await? {
    ///     println!("{device:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn try_next(&mut self) -> Result<Option<T>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Ok(Some(item));
            }
            match self.next_page().await? {
                Some(page) => self.buffer.extend(page),
                None => return Ok(None),
            }
        }
    }

    /// The next page (what is left of it after [`Pages::try_next`]), or `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>> {
        if !self.buffer.is_empty() {
            return Ok(Some(self.buffer.drain(..).collect()));
        }
        if let Some(page) = self.pending.take() {
            return self.take_page(page);
        }
        let Some(link) = self.next_link.take() else {
            return Ok(None);
        };
        if let Some(cap) = self.max_pages.filter(|cap| self.pages_fetched >= *cap) {
            return Err(Error::Paging(PagingStop::MaxPages(cap)));
        }
        let url = self.client.followable(&link, "@odata.nextLink")?;
        if self.loops.comes_round(&link) {
            return Err(Error::Paging(PagingStop::Loop {
                next_link: display_url(&url),
                pages: self.pages_fetched,
            }));
        }
        let response = self.client.get_absolute(url).await?.error_for_status()?;
        let page = from_slice::<PageBody<T>>(&response.body)?;
        self.next_link = page.next_link;
        if page.delta_link.is_some() {
            self.delta_link = page.delta_link;
        }
        if self.count.is_none() {
            self.count = page.count.map(|c| c.0);
        }
        self.pages_fetched += 1;
        self.take_page(page.value)
    }

    /// Every remaining item of every page.
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }

    /// The items as a stream, fetching pages as it goes. It is `Unpin`: read it with its own
    /// [`Items::try_next`], no pinning and no futures crate needed, or with any
    /// `StreamExt`/`TryStreamExt` combinator.
    pub fn into_stream(self) -> Items<T>
    where
        T: Send,
    {
        Items {
            inner: Box::pin(futures_util::stream::try_unfold(
                self,
                |mut pages| async move { Ok(pages.try_next().await?.map(|item| (item, pages))) },
            )),
        }
    }
}

/// The items of a listing one at a time ([`Pages::into_stream`]): a [`Stream`] that is
/// `Unpin`, with [`Items::try_next`] for a plain `while let` loop.
pub struct Items<T> {
    inner: std::pin::Pin<Box<dyn Stream<Item = Result<T>> + Send>>,
}

impl<T> Items<T> {
    /// The next item, or `None` after the last.
    ///
    /// ```no_run
    /// # async fn run<T: graphwire_core::GraphEntity + std::fmt::Debug + Send>(devices: graphwire_core::Pages<T>) -> graphwire_core::Result<()> {
    /// let mut items = devices.into_stream();
    /// while let Some(device) = items.try_next().await? {
    ///     println!("{device:?}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn try_next(&mut self) -> Result<Option<T>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx))
            .await
            .transpose()
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}
