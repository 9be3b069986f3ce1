//! Message catalogue: one line per message, Korean first, then English.

use super::Locale;
use serde::{Deserialize, Serialize};

macro_rules! messages {
    ($($key:ident => $ko:literal, $en:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            pub fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Msg::$key, Locale::Ko) => $ko, (Msg::$key, Locale::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    // Shell and navigation
    BrandName => "장터", "Jangteo";
    BrandTagline => "판매자와 구매자가 만나는 장터", "The marketplace where sellers meet shoppers";
    SkipToContent => "본문으로 건너뛰기", "Skip to content";
    NavMain => "주 메뉴", "Main navigation";
    NavShop => "쇼핑", "Shop";
    NavTickets => "티켓", "Tickets";
    NavMobile => "모바일", "Mobile";
    NavSeller => "판매자 센터", "Seller console";
    NavAdmin => "관리자", "Admin";
    NavLogin => "로그인", "Log in";
    NavSignup => "회원가입", "Sign up";
    NavAccount => "내 계정", "My account";
    NavAddresses => "배송지", "Addresses";
    NavLogout => "로그아웃", "Log out";
    UserMenu => "사용자 메뉴", "User menu";
    LanguageLabel => "언어", "Language";
    LanguageSwitchTo => "English", "한국어";
    FooterNote => "장터 · 오픈 소스 마켓플레이스", "Jangteo · open-source marketplace";

    // Home and areas
    HomeTitle => "무엇을 찾고 계신가요?", "What are you looking for?";
    HomeLead => "여러 판매자의 상품, 공연 티켓, 모바일 요금제까지 한 곳에서.", "Products from many sellers, concert tickets and mobile plans in one place.";
    HomeShopBody => "카테고리별 상품을 둘러보고 판매자별로 나누어 결제하세요.", "Browse products by category and check out per seller.";
    HomeTicketsBody => "대기열을 지나 좌석을 고르고 잔액으로 결제하세요.", "Pass the waiting room, pick your seats and pay from your balance.";
    HomeMobileBody => "내 회선의 요금제를 비교하고 변경하세요.", "Compare and change the plan of your mobile line.";
    HomeFeatured => "추천 상품", "Featured";
    HomePopular => "지금 인기 있는 상품", "Popular now";
    HomeNew => "새로 들어온 상품", "New arrivals";
    HomeRecentlyViewed => "최근 본 상품", "Recently viewed";
    AreaComingTitle => "준비 중입니다", "Coming soon";
    AreaComingBody => "이 영역은 곧 열립니다. 계정과 배송지는 지금 설정해 두세요.", "This area opens soon. Set up your account and addresses now.";

    // Auth forms
    SignupTitle => "회원가입", "Create your account";
    LoginTitle => "로그인", "Log in";
    FieldEmail => "이메일", "Email";
    FieldPassword => "비밀번호", "Password";
    FieldName => "이름", "Name";
    FieldPhone => "휴대폰 번호 (선택)", "Mobile phone (optional)";
    PasswordHint => "10자 이상, 흔한 비밀번호는 사용할 수 없습니다.", "At least 10 characters; common passwords are refused.";
    SignupSubmit => "가입하기", "Sign up";
    LoginSubmit => "로그인", "Log in";
    HaveAccount => "이미 계정이 있으신가요?", "Already have an account?";
    NoAccount => "아직 계정이 없으신가요?", "New here?";
    FormHasErrors => "입력 내용을 확인해 주세요.", "Please check the highlighted fields.";
    Working => "처리 중…", "Working…";

    // Account
    AccountTitle => "내 계정", "My account";
    AccountGreeting => "안녕하세요, {name}님", "Hello, {name}";
    AccountProfile => "프로필", "Profile";
    AccountRole => "역할", "Role";
    AccountGrade => "회원 등급", "Member grade";
    AccountTotalPurchase => "누적 구매 금액", "Total purchases";
    AccountSince => "가입일", "Member since";
    RoleCustomer => "구매자", "Customer";
    RoleSeller => "판매자", "Seller";
    RoleAdmin => "관리자", "Admin";
    GradeBronze => "브론즈", "Bronze";
    GradeSilver => "실버", "Silver";
    GradeGold => "골드", "Gold";
    GradeVip => "VIP", "VIP";
    SessionsTitle => "로그인된 기기", "Signed-in devices";
    SessionsLead => "모르는 기기가 보이면 로그아웃시키세요. 즉시 적용됩니다.", "If you see a device you don't know, sign it out. It takes effect at once.";
    SessionDevice => "기기", "Device";
    SessionIp => "IP 주소", "IP address";
    SessionLastSeen => "마지막 활동", "Last active";
    SessionCurrent => "현재 기기", "This device";
    SessionRevoke => "로그아웃시키기", "Sign out";
    TokensTitle => "개인 API 토큰", "Personal API tokens";
    TokensLead => "스크립트에서 Authorization: Bearer 헤더로 사용합니다.", "Use in scripts as an Authorization: Bearer header.";
    TokenName => "토큰 이름", "Token name";
    TokenCreate => "토큰 만들기", "Create token";
    TokenCreatedOnce => "이 토큰은 지금 한 번만 보입니다. 안전한 곳에 복사해 두세요:", "This token is shown only once. Copy it somewhere safe:";
    TokenRevoke => "폐기", "Revoke";
    TokenExpires => "만료", "Expires";
    TokensNone => "아직 토큰이 없습니다.", "No tokens yet.";

    // Addresses
    AddressesTitle => "배송지 관리", "Address book";
    AddressesNone => "등록된 배송지가 없습니다.", "You have no saved addresses.";
    AddrAddTitle => "새 배송지", "New address";
    AddrEditTitle => "배송지 수정", "Edit address";
    AddrRecipient => "받는 분", "Recipient";
    AddrPhone => "연락처", "Phone";
    AddrPostal => "우편번호", "Postal code";
    AddrAddress => "주소", "Address";
    AddrDetail => "상세 주소", "Address line 2";
    AddrLabel => "별칭 (예: 집, 회사)", "Label (e.g. home, office)";
    AddrSetDefault => "기본 배송지로 설정", "Make this my default";
    AddrDefaultBadge => "기본 배송지", "Default";
    AddrMakeDefault => "기본으로 지정", "Set as default";
    AddrEdit => "수정", "Edit";
    AddrDelete => "삭제", "Delete";
    AddrSave => "저장", "Save";
    AddrAdd => "배송지 추가", "Add address";
    Cancel => "취소", "Cancel";

    // Admin
    AdminTitle => "관리자 콘솔", "Admin console";
    AdminJobsTitle => "주기 작업", "Periodic jobs";
    AdminConfigsTitle => "시스템 설정", "System configs";
    JobName => "작업", "Job";
    JobStatus => "상태", "Status";
    JobLastRun => "마지막 실행", "Last run";
    JobDuration => "소요 시간", "Duration";
    JobRuns => "실행 횟수", "Runs";
    JobNever => "아직 실행되지 않음", "Not run yet";
    ConfigKey => "키", "Key";
    ConfigValue => "값", "Value";
    ConfigDescription => "설명", "Description";
    SellerTitle => "판매자 센터", "Seller console";

    // Selling
    SellerStatusPending => "심사 중", "Under review";
    SellerStatusApproved => "승인됨", "Approved";
    SellerStatusRejected => "반려됨", "Rejected";
    SellerStatusSuspended => "정지됨", "Suspended";
    SellerApplyTitle => "판매자 신청", "Apply to sell";
    SellerApplyLead => "사업자 정보를 입력하면 관리자가 확인 후 승인합니다.", "Tell us about your business; an admin reviews every application.";
    SellerApplySubmit => "신청하기", "Submit application";
    SellerPendingBody => "신청서를 확인하고 있습니다. 승인되면 상품을 등록할 수 있습니다.", "We are reviewing your application. Once approved you can list products.";
    SellerRejectedBody => "신청이 반려되었습니다. 사유를 확인하고 다시 신청해 주세요.", "Your application was not approved. See the reason and apply again.";
    SellerSuspendedBody => "판매가 정지되었습니다.", "Your selling is suspended.";
    SellerApprovedBody => "판매자로 승인되었습니다.", "You are an approved seller.";
    SellerStatusLabel => "신청 상태", "Application status";
    SellerReason => "사유", "Reason";
    SellerCommission => "수수료율", "Commission rate";
    SellerBecome => "판매자 신청", "Sell on Jangteo";
    FieldBusinessName => "상호", "Business name";
    FieldBusinessNumber => "사업자등록번호", "Business registration number";
    FieldBusinessNumberHint => "10자리 숫자 (예: 124-81-00998)", "10 digits (e.g. 124-81-00998)";
    FieldBusinessType => "사업자 유형", "Business type";
    BusinessIndividual => "개인", "Individual";
    BusinessCorporation => "법인", "Corporation";
    FieldRepresentative => "대표자명", "Representative";
    FieldBusinessAddress => "사업장 주소", "Business address";
    FieldBusinessPhone => "사업장 전화번호", "Business phone";
    FieldBankName => "은행", "Bank";
    FieldBankHolder => "예금주", "Account holder";
    FieldBankNumber => "계좌번호", "Account number";
    AdminSellersTitle => "판매자 심사", "Seller applications";
    AdminSellersEmpty => "해당하는 신청이 없습니다.", "No applications here.";
    AdminApprove => "승인", "Approve";
    AdminReject => "반려", "Reject";
    AdminSuspend => "정지", "Suspend";
    AdminCommissionHint => "비우면 기본 수수료율", "Leave empty for the default";
    AdminApplicant => "신청자", "Applicant";
    AdminAppliedAt => "신청일", "Applied";
    FilterAll => "전체", "All";

    // Storefront
    ShopTitle => "쇼핑", "Shop";
    ShopCategories => "카테고리", "Categories";
    ShopAllProducts => "전체 상품", "All products";
    ShopSearchLabel => "상품 검색", "Search products";
    ShopSearchPlaceholder => "상품명으로 검색", "Search by product name";
    ShopSearch => "검색", "Search";
    ShopSort => "정렬", "Sort";
    SortNewest => "신상품순", "Newest";
    SortPriceAsc => "낮은 가격순", "Price: low to high";
    SortPriceDesc => "높은 가격순", "Price: high to low";
    SortRating => "평점순", "Top rated";
    SortPopular => "인기순", "Popular";
    ShopMinPrice => "최저가", "Min price";
    ShopMaxPrice => "최고가", "Max price";
    ShopOptionFilter => "옵션 (예: 색상:빨강)", "Option (e.g. Colour:Red)";
    ShopApply => "적용", "Apply";
    ShopNoResults => "조건에 맞는 상품이 없습니다.", "No products match.";
    ShopNextPage => "다음 페이지", "Next page";
    ShopFirstPage => "처음으로", "First page";
    ShopBreadcrumbs => "현재 위치", "Breadcrumbs";
    ShopHome => "홈", "Home";
    ProductSeller => "판매자", "Seller";
    ProductOptions => "옵션 선택", "Choose an option";
    ProductInStock => "재고 {n}개", "{n} in stock";
    ProductSoldOut => "품절", "Sold out";
    ProductBundleContents => "구성품", "In the bundle";
    ProductDescription => "상품 설명", "Description";
    ProductPreviewNotice => "미리보기: 이 상품은 아직 판매 중이 아닙니다.", "Preview: this product is not on sale yet.";
    ProductStatus => "상태", "Status";
    ProductStatusDraft => "작성 중", "Draft";
    ProductStatusPending => "심사 중", "Under review";
    ProductStatusApproved => "승인됨", "Approved";
    ProductStatusRejected => "반려됨", "Rejected";
    ProductStatusActive => "판매 중", "On sale";
    ProductStatusInactive => "판매 중지", "Off sale";

    // Seller products
    SellerProductsTitle => "상품 관리", "Products";
    SellerNewProduct => "새 상품 등록", "New product";
    FieldProductName => "상품명", "Product name";
    FieldProductDescription => "상품 설명", "Description";
    FieldPrice => "판매가 (원)", "Price (KRW)";
    FieldOriginalPrice => "정가 (원, 선택)", "List price (KRW, optional)";
    FieldCategory => "카테고리", "Category";
    FieldChoose => "선택하세요", "Choose one";
    FieldOptionName => "옵션 {n} 이름 (예: 색상)", "Option {n} name (e.g. Colour)";
    FieldOptionValues => "옵션 {n} 값 (쉼표로 구분)", "Option {n} values (comma-separated)";
    FieldInitialStock => "옵션별 초기 재고", "Initial stock per variant";
    SellerCreate => "상품 만들기", "Create product";
    SellerSubmit => "심사 요청", "Submit for review";
    SellerStopSale => "판매 중지", "Take off sale";
    SellerResumeSale => "판매 재개", "Put on sale";
    SellerNoProducts => "아직 등록한 상품이 없습니다.", "You have no products yet.";
    SellerNotApproved => "승인된 판매자만 상품을 등록할 수 있습니다.", "Only approved sellers can list products.";
    SellerManageProducts => "상품 관리", "Manage products";
    SellerEdit => "수정", "Edit";
    SellerEditProduct => "상품 수정", "Edit product";
    SellerEditDetails => "기본 정보", "Details";
    SellerSave => "저장", "Save";
    SellerSaved => "저장되었습니다.", "Saved.";
    SellerViewInStore => "상점에서 보기", "View in store";
    FieldExtraCategory => "추가 카테고리 {n}", "Extra category {n}";
    FieldNone => "없음", "None";
    FieldProductType => "상품 유형", "Product type";
    ProductTypeNormal => "일반 상품", "Normal product";
    ProductTypeBundle => "묶음 상품 (다른 SKU로 구성)", "Bundle (made of other SKUs)";
    SellerImages => "이미지", "Images";
    SellerImageHint => "JPEG, PNG, WebP, GIF · 최대 {mb}MB · 10개까지. 첫 이미지가 대표 이미지가 됩니다.", "JPEG, PNG, WebP or GIF · up to {mb} MB · 10 images. The first one becomes the primary image.";
    FieldImage => "이미지 파일", "Image file";
    FieldAltText => "이미지 설명 (대체 텍스트)", "Image description (alt text)";
    SellerUpload => "올리기", "Upload";
    SellerUploaded => "이미지를 올렸습니다.", "Image uploaded.";
    SellerNoImages => "아직 이미지가 없습니다.", "No images yet.";
    SellerPrimaryImage => "대표", "Primary";
    SellerMakePrimary => "대표로 지정", "Make primary";
    SellerMoveUp => "앞으로", "Move up";
    SellerMoveDown => "뒤로", "Move down";
    SellerDelete => "삭제", "Delete";
    SellerVariants => "옵션별 가격과 판매", "Variants, prices and availability";
    FieldPriceAdjustment => "추가 금액", "Price adjustment";
    FieldOffered => "판매", "On offer";
    SellerAddValue => "값 추가", "Add value";
    FieldNewValue => "{option}에 추가할 값", "New value for {option}";
    SellerBundleContents => "구성 상품", "Bundle contents";
    SellerBundleEmpty => "구성 상품이 없으면 품절로 표시됩니다.", "Without contents this variant shows as sold out.";
    SellerSetItem => "구성에 넣기", "Put in bundle";
    SellerRemoveItem => "빼기", "Remove";
    SellerDeleteProduct => "상품 삭제", "Delete product";
    SellerDeleteWarning => "삭제한 상품은 상점과 판매자 센터에서 사라집니다. 주문 기록은 남습니다.", "A deleted product disappears from the store and the console. Order history is kept.";
    SellerDeleteConfirm => "이 상품을 삭제합니다", "Yes, delete this product";
    SellerDeleted => "상품을 삭제했습니다.", "The product was deleted.";
    AdminCategoriesTitle => "카테고리 관리", "Categories";
    CategoryNameKo => "이름 (한국어)", "Name (Korean)";
    CategoryNameEn => "이름 (영어)", "Name (English)";
    CategorySlug => "주소용 이름 (slug)", "Slug";
    CategoryOrder => "표시 순서", "Display order";
    CategoryActive => "표시", "Visible";
    CategoryParent => "상위 카테고리", "Parent";
    CategoryTopLevel => "(최상위)", "(top level)";
    CategoryAdd => "카테고리 추가", "Add category";
    CategorySave => "저장", "Save";
    AdminProductsTitle => "상품 심사", "Product reviews";
    AdminProductsEmpty => "심사할 상품이 없습니다.", "No products waiting for review.";

    // Stock
    StockTitle => "재고 관리", "Stock";
    StockSku => "SKU", "SKU";
    StockOnHand => "재고", "On hand";
    StockReserved => "선점", "Reserved";
    StockAvailable => "가용", "Available";
    StockReceive => "입고", "Receive";
    StockAdjust => "조정", "Adjust";
    StockQuantity => "수량", "Quantity";
    StockReference => "참조 (예: 발주번호)", "Reference (e.g. PO number)";
    StockDelta => "증감 (예: -2)", "Change (e.g. -2)";
    StockSearch => "SKU 코드나 이름으로 찾기", "Find by SKU code or name";
    StockLow => "재고 부족", "Low stock";
    StockLowTitle => "재고 부족 알림 ({n}개 SKU)", "Low stock ({n} SKUs)";
    StockMovements => "재고 이동 내역", "Stock movements";
    StockWhen => "일시", "When";
    StockType => "유형", "Type";

    // Error pages
    NotFoundTitle => "페이지를 찾을 수 없습니다", "Page not found";
    NotFoundBody => "주소가 바뀌었거나 삭제된 페이지입니다.", "The page may have moved or no longer exists.";
    ErrorPageTitle => "문제가 발생했습니다", "Something went wrong";
    ErrorPageBody => "잠시 후 다시 시도해 주세요. 문제가 계속되면 아래 참조 번호와 함께 문의해 주세요.", "Please try again in a moment. If it keeps happening, contact us with the reference below.";
    BackHome => "홈으로", "Back to home";

    // Errors
    ErrValidation => "입력 내용을 확인해 주세요.", "Please check your input.";
    ErrUnauthenticated => "로그인이 필요합니다.", "Please log in first.";
    ErrForbidden => "이 작업을 할 권한이 없습니다.", "You are not allowed to do that.";
    ErrNotFound => "찾을 수 없습니다.", "Not found.";
    ErrRateLimited => "시도가 너무 많습니다. {n}분 후에 다시 시도해 주세요.", "Too many attempts. Please try again in {n} min.";
    ErrInternal => "일시적인 오류가 발생했습니다. (참조: {ref})", "Something went wrong on our side. (Reference: {ref})";
    ErrTransport => "서버에 연결하지 못했습니다. 네트워크를 확인해 주세요.", "Could not reach the server. Please check your connection.";
    ErrBadForm => "양식을 읽을 수 없습니다. 페이지를 새로고침한 뒤 다시 시도해 주세요.", "The form could not be read. Please reload the page and try again.";
    ErrRequired => "필수 항목입니다.", "This field is required.";
    ErrTooLong => "너무 깁니다.", "This is too long.";
    ErrEmailInvalid => "올바른 이메일 주소를 입력해 주세요.", "Enter a valid email address.";
    ErrEmailTaken => "이미 가입된 이메일입니다.", "An account with this email already exists.";
    ErrPasswordShort => "비밀번호는 10자 이상이어야 합니다.", "Password must be at least 10 characters.";
    ErrPasswordLong => "비밀번호는 128자 이하여야 합니다.", "Password must be at most 128 characters.";
    ErrPasswordCommon => "너무 흔한 비밀번호입니다. 다른 비밀번호를 사용해 주세요.", "This password is too common. Please choose another.";
    ErrPasswordIsEmail => "비밀번호에 이메일을 사용할 수 없습니다.", "Password must not contain your email.";
    ErrPhoneInvalid => "휴대폰 번호 형식이 올바르지 않습니다. (예: 010-1234-5678)", "Enter a valid Korean mobile number (e.g. 010-1234-5678).";
    ErrPostalInvalid => "우편번호는 숫자 5자리입니다.", "Postal code is 5 digits.";
    ErrBadCredentials => "이메일 또는 비밀번호가 올바르지 않습니다.", "Email or password is incorrect.";
    ErrAccountSuspended => "이용이 정지된 계정입니다. 고객센터로 문의해 주세요.", "This account is suspended. Please contact support.";
    ErrAccountSuspendedReason => "이용이 정지된 계정입니다. 사유: {reason}", "This account is suspended. Reason: {reason}";
    ErrAccountDeleted => "탈퇴한 계정입니다.", "This account has been deleted.";
    ErrIdempotencyMismatch => "같은 요청 키로 다른 내용이 전송되었습니다.", "This idempotency key was already used with a different request.";
    ErrIdempotencyInFlight => "같은 요청이 아직 처리 중입니다.", "The same request is still being processed.";
    ErrCrossSite => "다른 사이트에서 온 요청은 처리할 수 없습니다.", "Cross-site requests are not allowed.";
    ErrServiceUnavailable => "서비스를 잠시 사용할 수 없습니다.", "The service is temporarily unavailable.";
    ErrConfigInvalid => "설정 값이 올바르지 않습니다.", "The config value is invalid.";
    ErrUnknownConfig => "알 수 없는 설정 키입니다.", "Unknown config key.";
    ErrOutOfStock => "재고가 부족합니다.", "Not enough stock.";
    ErrQuantity => "수량은 1 이상이어야 합니다.", "Quantity must be at least 1.";
    ErrReservationNotActive => "이미 처리되었거나 만료된 예약입니다.", "This reservation was already settled or has expired.";
    ErrBelowReserved => "예약된 수량보다 적게 조정할 수 없습니다.", "Stock cannot go below the reserved quantity.";
    ErrBusinessNumberTaken => "이미 등록된 사업자등록번호입니다.", "This business number is already registered.";
    ErrAlreadyApplied => "이미 판매자 신청을 하셨습니다.", "You have already applied.";
    ErrSellerWrongState => "현재 상태에서는 할 수 없는 작업입니다.", "That is not possible in the application's current state.";
    ErrBankAccount => "계좌번호는 숫자와 - 만 입력해 주세요.", "Use digits and dashes only.";
    ErrPercentage => "0에서 100 사이의 숫자를 입력해 주세요.", "Enter a number between 0 and 100.";
    ErrCategoryDepth => "카테고리는 3단계까지만 만들 수 있습니다.", "Categories go three levels deep at most.";
    ErrPrice => "가격은 0 이상의 숫자로 입력해 주세요.", "Enter the price as a number of 0 or more.";
    ErrOriginalPrice => "정가는 판매가보다 낮을 수 없습니다.", "The list price cannot be lower than the price.";
    ErrOptionValues => "옵션 값을 쉼표로 구분해 입력해 주세요.", "Enter the option's values, separated by commas.";
    ErrOptionDuplicate => "같은 이름의 옵션이 이미 있습니다.", "There is already an option with this name.";
    ErrTooManyVariants => "옵션 조합은 100개까지 만들 수 있습니다.", "At most 100 option combinations are allowed.";
    ErrProductWrongState => "상품의 현재 상태에서는 할 수 없는 작업입니다.", "That is not possible in the product's current state.";
    ErrSkuCodeTaken => "이미 사용 중인 SKU 코드입니다.", "This SKU code is already in use.";
    ErrSlugTaken => "이미 사용 중인 주소용 이름입니다.", "This slug is already in use.";
    ErrSlug => "주소용 이름은 영문 소문자, 숫자, - 만 쓸 수 있습니다.", "Use lower-case letters, digits and dashes.";
    ErrImageTooLarge => "파일이 너무 큽니다. 안내된 최대 크기 이하로 올려 주세요.", "The file is too large. Please stay within the size limit shown.";
    ErrImageType => "JPEG, PNG, WebP, GIF 이미지만 올릴 수 있습니다.", "Only JPEG, PNG, WebP and GIF images can be uploaded.";
    ErrImageUnreadable => "이미지를 읽을 수 없습니다. 파일이 손상되지 않았는지 확인해 주세요.", "The image could not be read. Please check that the file is not damaged.";
    ErrImageDimensions => "이미지의 가로·세로는 8000픽셀 이하여야 합니다.", "Images may be at most 8000 pixels wide and high.";
    ErrTooManyImages => "상품 이미지는 10개까지 올릴 수 있습니다.", "A product can have at most 10 images.";
    ErrImageMissing => "올릴 이미지 파일을 선택해 주세요.", "Choose an image file to upload.";
    ErrTooManyCategories => "카테고리는 5개까지 지정할 수 있습니다.", "A product can be in at most 5 categories.";
    ErrVariantPrice => "옵션 가격(판매가 + 추가 금액)은 0원 이상이어야 합니다.", "A variant's price (price plus adjustment) cannot be below zero.";
    ErrLastVariant => "판매할 옵션이 하나는 있어야 합니다.", "At least one variant must stay on offer.";
    ErrOptionValueExists => "이미 있는 옵션 값입니다.", "This option already has that value.";
    ErrConfirmDelete => "삭제하려면 확인란을 선택해 주세요.", "Tick the box to confirm the deletion.";
    ErrBusinessNumber => "사업자등록번호가 올바르지 않습니다. 10자리 숫자를 확인해 주세요.", "This business registration number is not valid. Check the 10 digits.";

    // Mobile plan change
    MobileTitle => "모바일 요금제 변경", "Mobile plan change";
    MobileLead => "휴대폰 회선을 연결하면 지금 요금제와 바꿀 수 있는 요금제를 비교하고 바로 변경할 수 있습니다.", "Link your mobile line to compare your plan with the ones you can move to, and change it here.";
    MobileLines => "내 회선", "My lines";
    MobileLine => "회선 번호", "Line number";
    MobileLineHint => "예: 010-5550-0001", "For example 010-5550-0001";
    MobileBirthDate => "생년월일 6자리", "Date of birth (YYMMDD)";
    MobileBirthDateHint => "회선 명의자의 생년월일 (예: 810211)", "The line holder's date of birth, e.g. 810211";
    MobileLinkTitle => "회선 연결하기", "Link a line";
    MobileLinkLead => "통신사에 등록된 명의자 정보로 본인 회선인지 확인합니다.", "We check with the carrier that the line is yours.";
    MobileLinkSubmit => "회선 연결", "Link line";
    MobileUnlink => "이 회선 연결 해제", "Unlink this line";
    MobileCurrentPlan => "현재 요금제", "Current plan";
    MobileHolder => "명의자", "Holder";
    MobilePlan => "요금제", "Plan";
    MobileMonthlyFee => "월 요금", "Monthly fee";
    MobileAllowance => "제공량", "Allowance";
    MobileData => "데이터", "Data";
    MobileVoice => "음성", "Voice";
    MobileMinutes => "분", " min";
    MobileUnlimited => "무제한", "unlimited";
    MobileContract => "회선 상태", "Line status";
    MobilePlans => "변경 가능한 요금제", "Plans you can move to";
    MobileDifference => "월 요금 차이", "Monthly difference";
    MobileChangeTo => "이 요금제로 변경", "Change to this plan";
    MobileRecent => "최근 변경 요청", "Recent change requests";
    MobileNoRequests => "변경 요청이 없습니다.", "No change requests yet.";
    MobileAllHistory => "전체 변경 이력 보기", "See all requests";
    MobileHistoryTitle => "요금제 변경 이력", "Plan change history";
    MobileBack => "← 모바일로 돌아가기", "← Back to Mobile";
    MobileRequestedAt => "요청 일시", "Requested";
    MobileChange => "변경 내용", "Change";
    MobileStatus => "상태", "Status";
    MobileReason => "안내", "Details";
    ContractActive => "사용 중", "Active";
    ContractSuspended => "일시 정지", "Suspended";
    ContractTerminated => "해지", "Terminated";
    ChangeRequested => "접수", "Requested";
    ChangeValidated => "사전 확인 완료", "Checked";
    ChangeProcessing => "처리 중", "Processing";
    ChangeCompleted => "변경 완료", "Completed";
    ChangeFailed => "변경 실패", "Failed";
    ReasonLineNotActive => "사용 중인 회선만 요금제를 바꿀 수 있습니다.", "Only an active line can change its plan.";
    ReasonProductNotFound => "요금제를 찾을 수 없습니다.", "That plan does not exist.";
    ReasonProductClosed => "신규 가입이 종료된 요금제입니다.", "That plan is closed to new subscribers.";
    ReasonSameProduct => "이미 사용 중인 요금제입니다.", "The line is already on that plan.";
    ReasonContractDowngrade => "약정 할인 중에는 더 낮은 요금제로 바꿀 수 없습니다.", "A line under a discount contract cannot move to a cheaper plan.";
    ReasonPlanMismatch => "그 사이 요금제가 바뀌었습니다. 새로 고친 뒤 다시 시도해 주세요.", "The plan changed in the meantime. Please reload and try again.";
    ReasonLineMismatch => "통신사에 등록된 회선 정보와 맞지 않습니다.", "The carrier's records for this line do not match.";
    ReasonKosUnavailable => "통신사 시스템에 연결하지 못해 변경하지 않았습니다. 잠시 후 다시 시도해 주세요.", "The carrier system could not be reached, so nothing was changed. Please try again later.";
    ReasonKosPending => "통신사 확인을 기다리고 있습니다. 잠시 후 결과가 반영됩니다.", "Waiting for the carrier to confirm; the result will show here shortly.";
    ReasonNotExecuted => "통신사에서 처리되지 않아 변경하지 않았습니다.", "The carrier did not carry out the change; nothing was changed.";
    ReasonInterrupted => "처리가 중단되어 변경하지 않았습니다. 다시 요청해 주세요.", "Processing was interrupted and nothing was changed. Please ask again.";
    ReasonCompleted => "요금제가 변경되었습니다.", "The plan has been changed.";
    ReasonRejectedOther => "통신사에서 변경을 처리하지 않았습니다. (코드: {code})", "The carrier did not carry out the change. (Code: {code})";
    ReasonConfirmedLate => "통신사 확인 후 변경이 완료되었습니다.", "The carrier confirmed the change.";
    ErrLineNumber => "010으로 시작하는 휴대폰 번호를 입력해 주세요.", "Enter a mobile number starting with 010.";
    ErrBirthDate => "생년월일 6자리 숫자를 입력해 주세요.", "Enter the date of birth as six digits (YYMMDD).";
    ErrLineNotVerified => "회선 번호 또는 생년월일이 통신사 정보와 맞지 않습니다.", "The line number or date of birth does not match the carrier's records.";
    ErrLineTaken => "다른 계정에 연결된 회선입니다.", "This line is linked to another account.";
    ErrLineTerminated => "해지된 회선은 연결할 수 없습니다.", "A terminated line cannot be linked.";
    ErrUnknownPlan => "요금제를 선택해 주세요.", "Choose a plan.";
    ErrChangeInFlight => "이 회선의 다른 변경 요청을 처리하고 있습니다. 끝난 뒤 다시 시도해 주세요.", "Another change for this line is being processed. Please try again when it is done.";
    ErrCarrierBusy => "통신사 시스템이 혼잡합니다. {n}분 후에 다시 시도해 주세요.", "The carrier system is busy. Please try again in {n} min.";
    // Admin: integrations
    IntegrationsTitle => "외부 연동 현황", "Integrations";
    IntegrationsBreakers => "서킷 브레이커", "Circuit breakers";
    IntegrationsService => "서비스", "Service";
    IntegrationsState => "상태", "State";
    IntegrationsCounts => "실패 / 성공", "Failures / successes";
    IntegrationsThresholds => "기준 (실패 / 성공 / 대기)", "Thresholds (fail / success / open)";
    IntegrationsNextAttempt => "다음 시도", "Next attempt";
    IntegrationsAction => "권장 조치", "Recommended action";
    IntegrationsReset => "초기화", "Reset";
    BreakerStable => "안정", "Stable";
    BreakerReadyHalfOpen => "반개방 전환 가능", "Ready for half-open";
    BreakerReadyClose => "닫힘 전환 가능", "Ready to close";
    IntegrationsStats => "KOS 연동 (최근 7일)", "KOS calls (last 7 days)";
    IntegrationsNoCalls => "최근 7일 동안 호출이 없습니다.", "No calls in the last 7 days.";
    IntegrationsType => "연동 유형", "Type";
    IntegrationsCalls => "호출", "Calls";
    IntegrationsSuccessRate => "성공률", "Success rate";
    IntegrationsAvg => "평균 응답", "Avg response";
    IntegrationsToday => "오늘", "Today";
    IntegrationsChanges => "요금제 변경 (최근 30일)", "Plan changes (last 30 days)";
    IntegrationsRequests => "요청", "Requests";
    IntegrationsAvgProcessing => "평균 처리 시간", "Avg processing time";
    IntegrationsFailures => "최근 실패", "Recent failures";
    IntegrationsNoFailures => "최근 실패가 없습니다.", "No recent failures.";
    IntegrationsRetries => "재시도", "Retries";
    IntegrationsRequest => "요청", "Request";
    IntegrationsResponse => "응답", "Response";
    IntegrationsEvents => "브레이커 상태 변경 기록", "Breaker transitions";
}
