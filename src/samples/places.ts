/**
 * A small dated gazetteer of Hà Nội and of the provinces people's home towns are in: each unit's written
 * name over time, so a place is written as it was named on the day of registration (DOMAIN.md). A subset
 * of the real units, hand-compiled (see DATA-LICENCE.md); dates marked "≈" are approximate: correct them
 * here, not in code.
 */
import { at, type Rng } from './rng.ts';
import { isoDate, type Ymd } from './vietnamese.ts';

/** A validity span, ISO dates, `from` included and `to` excluded. */
interface Named {
  name: string;
  from?: string;
  to?: string;
}
const inSpan = (iso: string, s: { from?: string; to?: string }): boolean => (!s.from || iso >= s.from) && (!s.to || iso < s.to);
const nameAt = (names: readonly Named[], iso: string): string | undefined => names.find((n) => inSpan(iso, n))?.name;

/** 1 July 2025: districts abolished, communes merged; registration moved to commune level. */
export const REFORM_2025 = '2025-07-01';
/** Inner-city "khu phố" became "quận" and their "tiểu khu" became "phường" (≈ early 1981). */
const URBAN_RENAME = '1981-01-01';

/** Province-level names, written without the kind ("Hà Nội", "Hà Tây"); `city` ones are "Thành phố". */
const HA_NOI: Named[] = [{ name: 'Hà Nội' }];
/** The Hà Đông / Hà Tây area south-west of Hà Nội: merged into Hà Nội on 1 Aug 2008. */
const HA_TAY: Named[] = [
  { name: 'Hà Đông', to: '1965-04-21' },
  { name: 'Hà Tây', from: '1965-04-21', to: '1976-02-27' },
  { name: 'Hà Sơn Bình', from: '1976-02-27', to: '1991-08-12' },
  { name: 'Hà Tây', from: '1991-08-12', to: '2008-08-01' },
  { name: 'Hà Nội', from: '2008-08-01' },
];
/** Sơn Tây area: its own province until 1965, and part of Hà Nội from 1978 to 1991. */
const SON_TAY: Named[] = [
  { name: 'Sơn Tây', to: '1965-04-21' },
  { name: 'Hà Tây', from: '1965-04-21', to: '1976-02-27' },
  { name: 'Hà Sơn Bình', from: '1976-02-27', to: '1978-12-29' },
  { name: 'Hà Nội', from: '1978-12-29', to: '1991-08-12' },
  { name: 'Hà Tây', from: '1991-08-12', to: '2008-08-01' },
  { name: 'Hà Nội', from: '2008-08-01' },
];
const CITY_PROVINCES = new Set(['Hà Nội', 'Hải Phòng']);

interface Ward {
  name: string;
  /** A thị trấn (district town) rather than a xã, in a rural district. */
  town?: boolean;
  /** The commune-level unit it belongs to from 1 July 2025 (≈ from the 2025 merger lists). */
  after2025: string;
}

interface District {
  key: string;
  /** Written name with its kind, over time; a date outside every span means the district did not exist. */
  names: Named[];
  province: Named[];
  urban: boolean;
  wards: Ward[];
  /** Streets (urban) or hamlets (rural) for house addresses. */
  streets: string[];
}

const urbanWards = (pairs: [string, string][]): Ward[] => pairs.map(([name, after2025]) => ({ name, after2025: `Phường ${after2025}` }));
const ruralWards = (triples: [string, string, boolean?][]): Ward[] => triples.map(([name, after2025, town]) => ({ name, after2025: `Xã ${after2025}`, town: town ?? false }));

export const DISTRICTS: readonly District[] = [
  {
    key: 'hoan-kiem', urban: true, province: HA_NOI,
    names: [{ name: 'Khu phố Hoàn Kiếm', to: URBAN_RENAME }, { name: 'Quận Hoàn Kiếm', from: URBAN_RENAME, to: REFORM_2025 }],
    wards: urbanWards([['Hàng Bạc', 'Hoàn Kiếm'], ['Hàng Bồ', 'Hoàn Kiếm'], ['Hàng Gai', 'Hoàn Kiếm'], ['Hàng Trống', 'Hoàn Kiếm'], ['Đồng Xuân', 'Hoàn Kiếm'], ['Cửa Đông', 'Cửa Nam'], ['Phan Chu Trinh', 'Cửa Nam'], ['Tràng Tiền', 'Hoàn Kiếm']]),
    streets: ['phố Hàng Bạc', 'phố Hàng Gai', 'phố Hàng Đào', 'phố Hàng Bông', 'phố Lò Sũ', 'phố Hàng Chiếu', 'phố Phan Chu Trinh', 'phố Cửa Đông', 'phố Hàng Mã'],
  },
  {
    key: 'hai-ba-trung', urban: true, province: HA_NOI,
    names: [{ name: 'Khu phố Hai Bà Trưng', to: URBAN_RENAME }, { name: 'Quận Hai Bà Trưng', from: URBAN_RENAME, to: REFORM_2025 }],
    wards: urbanWards([['Bạch Mai', 'Bạch Mai'], ['Quỳnh Lôi', 'Bạch Mai'], ['Trương Định', 'Bạch Mai'], ['Minh Khai', 'Vĩnh Tuy'], ['Thanh Nhàn', 'Hai Bà Trưng'], ['Lê Đại Hành', 'Hai Bà Trưng'], ['Bách Khoa', 'Bạch Mai'], ['Đồng Tâm', 'Bạch Mai'], ['Vĩnh Tuy', 'Vĩnh Tuy']]),
    streets: ['phố Lò Đúc', 'phố Huế', 'phố Bạch Mai', 'phố Minh Khai', 'phố Lê Thanh Nghị', 'phố Trần Khát Chân', 'phố Tạ Quang Bửu', 'phố Hoà Mã', 'ngõ Quỳnh', 'phố Kim Ngưu'],
  },
  {
    key: 'dong-da', urban: true, province: HA_NOI,
    names: [{ name: 'Khu phố Đống Đa', to: URBAN_RENAME }, { name: 'Quận Đống Đa', from: URBAN_RENAME, to: REFORM_2025 }],
    wards: urbanWards([['Kim Liên', 'Kim Liên'], ['Phương Liên', 'Kim Liên'], ['Trung Tự', 'Kim Liên'], ['Khương Thượng', 'Kim Liên'], ['Văn Miếu', 'Văn Miếu - Quốc Tử Giám'], ['Quốc Tử Giám', 'Văn Miếu - Quốc Tử Giám'], ['Láng Thượng', 'Láng'], ['Ô Chợ Dừa', 'Ô Chợ Dừa'], ['Nam Đồng', 'Kim Liên']]),
    streets: ['phố Tôn Đức Thắng', 'phố Xã Đàn', 'phố Chùa Láng', 'phố Tây Sơn', 'phố Nguyễn Lương Bằng', 'phố Đặng Tiến Đông', 'phố Hoàng Tích Trí', 'phố Phạm Ngọc Thạch', 'ngõ Văn Chương'],
  },
  {
    key: 'ba-dinh', urban: true, province: HA_NOI,
    names: [{ name: 'Khu phố Ba Đình', to: URBAN_RENAME }, { name: 'Quận Ba Đình', from: URBAN_RENAME, to: REFORM_2025 }],
    wards: urbanWards([['Quán Thánh', 'Ba Đình'], ['Trúc Bạch', 'Ba Đình'], ['Ngọc Hà', 'Ngọc Hà'], ['Đội Cấn', 'Ngọc Hà'], ['Liễu Giai', 'Ngọc Hà'], ['Kim Mã', 'Giảng Võ'], ['Giảng Võ', 'Giảng Võ'], ['Cống Vị', 'Giảng Võ']]),
    streets: ['phố Quán Thánh', 'phố Đội Cấn', 'phố Kim Mã', 'phố Giảng Võ', 'phố Liễu Giai', 'phố Hoàng Hoa Thám', 'phố Phan Đình Phùng', 'phố Ngọc Hà'],
  },
  {
    key: 'tay-ho', urban: true, province: HA_NOI,
    names: [{ name: 'Quận Tây Hồ', from: '1995-10-28', to: REFORM_2025 }],
    wards: urbanWards([['Quảng An', 'Tây Hồ'], ['Nhật Tân', 'Tây Hồ'], ['Bưởi', 'Tây Hồ'], ['Thụy Khuê', 'Tây Hồ'], ['Xuân La', 'Phú Thượng'], ['Phú Thượng', 'Phú Thượng']]),
    streets: ['phố Thụy Khuê', 'đường Lạc Long Quân', 'đường Âu Cơ', 'phố Đặng Thai Mai', 'ngõ 52 Tô Ngọc Vân', 'đường Xuân La'],
  },
  {
    key: 'cau-giay', urban: true, province: HA_NOI,
    names: [{ name: 'Quận Cầu Giấy', from: '1997-01-01', to: REFORM_2025 }],
    wards: urbanWards([['Dịch Vọng', 'Cầu Giấy'], ['Dịch Vọng Hậu', 'Cầu Giấy'], ['Quan Hoa', 'Cầu Giấy'], ['Mai Dịch', 'Cầu Giấy'], ['Nghĩa Đô', 'Nghĩa Đô'], ['Trung Hòa', 'Yên Hòa'], ['Yên Hòa', 'Yên Hòa']]),
    streets: ['đường Cầu Giấy', 'đường Xuân Thủy', 'đường Trần Duy Hưng', 'phố Trần Thái Tông', 'ngõ 165 Cầu Giấy', 'phố Nguyễn Khánh Toàn', 'phố Hoàng Quốc Việt'],
  },
  {
    key: 'thanh-xuan', urban: true, province: HA_NOI,
    names: [{ name: 'Quận Thanh Xuân', from: '1997-01-01', to: REFORM_2025 }],
    wards: urbanWards([['Thượng Đình', 'Thanh Xuân'], ['Nhân Chính', 'Thanh Xuân'], ['Khương Trung', 'Khương Đình'], ['Kim Giang', 'Khương Đình'], ['Thanh Xuân Bắc', 'Thanh Xuân']]),
    streets: ['đường Nguyễn Trãi', 'phố Khương Trung', 'phố Vũ Trọng Phụng', 'phố Kim Giang', 'phố Nguyễn Tuân', 'đường Lê Văn Lương'],
  },
  {
    key: 'hoang-mai', urban: true, province: HA_NOI,
    names: [{ name: 'Quận Hoàng Mai', from: '2004-01-01', to: REFORM_2025 }],
    wards: urbanWards([['Hoàng Liệt', 'Hoàng Liệt'], ['Định Công', 'Định Công'], ['Tương Mai', 'Tương Mai'], ['Giáp Bát', 'Tương Mai'], ['Mai Động', 'Tương Mai'], ['Vĩnh Hưng', 'Vĩnh Hưng'], ['Lĩnh Nam', 'Lĩnh Nam']]),
    streets: ['phố Tân Mai', 'đường Giải Phóng', 'phố Định Công', 'phố Tam Trinh', 'phố Lĩnh Nam', 'phố Vĩnh Hưng', 'khu đô thị Linh Đàm'],
  },
  {
    key: 'long-bien', urban: true, province: HA_NOI,
    names: [{ name: 'Quận Long Biên', from: '2004-01-01', to: REFORM_2025 }],
    wards: urbanWards([['Bồ Đề', 'Bồ Đề'], ['Gia Thụy', 'Bồ Đề'], ['Ngọc Lâm', 'Bồ Đề'], ['Việt Hưng', 'Việt Hưng'], ['Phúc Lợi', 'Phúc Lợi'], ['Long Biên', 'Long Biên']]),
    streets: ['phố Nguyễn Văn Cừ', 'phố Ngọc Lâm', 'phố Nguyễn Sơn', 'đường Ngô Gia Tự', 'phố Phúc Lợi', 'đường Nguyễn Văn Linh'],
  },
  {
    key: 'tu-liem', urban: false, province: HA_NOI,
    names: [{ name: 'Huyện Từ Liêm', from: '1961-05-31', to: '2014-04-01' }],
    wards: ruralWards([['Cầu Diễn', 'Từ Liêm', true], ['Mỹ Đình', 'Từ Liêm'], ['Xuân Đỉnh', 'Xuân Đỉnh'], ['Tây Mỗ', 'Tây Mỗ'], ['Đại Mỗ', 'Đại Mỗ'], ['Phú Diễn', 'Phú Diễn'], ['Xuân Phương', 'Xuân Phương'], ['Đông Ngạc', 'Đông Ngạc']]),
    streets: ['thôn Phú Mỹ', 'thôn Đình Thôn', 'thôn Nhân Mỹ', 'xóm Chợ', 'thôn Hòe Thị', 'thôn Đông', 'thôn Miêu Nha'],
  },
  {
    key: 'nam-tu-liem', urban: true, province: HA_NOI,
    names: [{ name: 'Quận Nam Từ Liêm', from: '2014-04-01', to: REFORM_2025 }],
    wards: urbanWards([['Mỹ Đình 1', 'Từ Liêm'], ['Mỹ Đình 2', 'Từ Liêm'], ['Cầu Diễn', 'Từ Liêm'], ['Tây Mỗ', 'Tây Mỗ'], ['Đại Mỗ', 'Đại Mỗ'], ['Phú Đô', 'Từ Liêm'], ['Xuân Phương', 'Xuân Phương']]),
    streets: ['đường Lê Đức Thọ', 'đường Mỹ Đình', 'phố Hàm Nghi', 'đường Hồ Tùng Mậu', 'tổ dân phố Phú Đô', 'khu đô thị Vinhomes Green Bay'],
  },
  {
    key: 'bac-tu-liem', urban: true, province: HA_NOI,
    names: [{ name: 'Quận Bắc Từ Liêm', from: '2014-04-01', to: REFORM_2025 }],
    wards: urbanWards([['Xuân Đỉnh', 'Xuân Đỉnh'], ['Đông Ngạc', 'Đông Ngạc'], ['Thượng Cát', 'Thượng Cát'], ['Phú Diễn', 'Phú Diễn'], ['Cổ Nhuế 1', 'Đông Ngạc']]),
    streets: ['đường Phạm Văn Đồng', 'đường Tân Xuân', 'phố Đông Ngạc', 'đường Thượng Cát', 'phố Phú Diễn', 'tổ dân phố Hoàng 1'],
  },
  {
    key: 'gia-lam', urban: false, province: HA_NOI,
    names: [{ name: 'Huyện Gia Lâm', from: '1961-05-31', to: REFORM_2025 }],
    wards: ruralWards([['Trâu Quỳ', 'Gia Lâm', true], ['Bát Tràng', 'Bát Tràng'], ['Đa Tốn', 'Gia Lâm'], ['Phù Đổng', 'Phù Đổng'], ['Kiêu Kỵ', 'Gia Lâm'], ['Dương Xá', 'Thuận An']]),
    streets: ['thôn Giang Cao', 'thôn Ngọc Động', 'thôn Đào Xuyên', 'xóm Giữa', 'thôn Kiêu Kỵ', 'thôn Phù Đổng'],
  },
  {
    key: 'thanh-tri', urban: false, province: HA_NOI,
    names: [{ name: 'Huyện Thanh Trì', from: '1961-05-31', to: REFORM_2025 }],
    wards: ruralWards([['Văn Điển', 'Thanh Trì', true], ['Ngọc Hồi', 'Ngọc Hồi'], ['Tả Thanh Oai', 'Đại Thanh'], ['Tam Hiệp', 'Thanh Trì'], ['Vĩnh Quỳnh', 'Đại Thanh']]),
    streets: ['thôn Tựu Liệt', 'thôn Văn Uyên', 'thôn Siêu Quần', 'thôn Tả Thanh Oai', 'xóm Bến', 'thôn Ngọc Hồi'],
  },
  {
    key: 'dong-anh', urban: false, province: HA_NOI,
    names: [{ name: 'Huyện Đông Anh', from: '1961-05-31', to: REFORM_2025 }],
    wards: ruralWards([['Đông Anh', 'Đông Anh', true], ['Cổ Loa', 'Đông Anh'], ['Uy Nỗ', 'Đông Anh'], ['Vân Hà', 'Thư Lâm'], ['Kim Chung', 'Thiên Lộc'], ['Vĩnh Ngọc', 'Phúc Thịnh']]),
    streets: ['thôn Cổ Loa', 'thôn Đường Nhạn', 'thôn Vân Hà', 'xóm Đông', 'thôn Kim Chung', 'thôn Lỗ Khê'],
  },
  {
    key: 'ha-dong', urban: true, province: HA_TAY,
    names: [
      { name: 'Thị xã Hà Đông', to: '2006-12-27' },
      { name: 'Thành phố Hà Đông', from: '2006-12-27', to: '2009-05-08' },
      { name: 'Quận Hà Đông', from: '2009-05-08', to: REFORM_2025 },
    ],
    wards: urbanWards([['Nguyễn Trãi', 'Hà Đông'], ['Quang Trung', 'Hà Đông'], ['Vạn Phúc', 'Hà Đông'], ['Mộ Lao', 'Hà Đông'], ['Phúc La', 'Hà Đông'], ['Yết Kiêu', 'Hà Đông'], ['Văn Quán', 'Hà Đông'], ['La Khê', 'Dương Nội'], ['Hà Cầu', 'Kiến Hưng']]),
    streets: ['phố Tô Hiệu', 'phố Quang Trung', 'phố Bà Triệu', 'phố Phúc La', 'phố Vạn Phúc', 'phố Lê Lợi', 'phố Trần Phú', 'khu đô thị Văn Quán'],
  },
  {
    key: 'son-tay', urban: true, province: SON_TAY,
    names: [{ name: 'Thị xã Sơn Tây', to: REFORM_2025 }],
    wards: urbanWards([['Lê Lợi', 'Sơn Tây'], ['Ngô Quyền', 'Sơn Tây'], ['Quang Trung', 'Sơn Tây'], ['Sơn Lộc', 'Tùng Thiện'], ['Xuân Khanh', 'Tùng Thiện']]),
    streets: ['phố Phó Đức Chính', 'phố Quang Trung', 'phố Lê Lợi', 'phố Ngô Quyền', 'phố Chùa Mới', 'tổ dân phố Sơn Lộc'],
  },
  {
    key: 'hoai-duc', urban: false, province: SON_TAY,
    names: [{ name: 'Huyện Hoài Đức', to: REFORM_2025 }],
    wards: ruralWards([['Trạm Trôi', 'Hoài Đức', true], ['An Khánh', 'An Khánh'], ['Đức Thượng', 'Hoài Đức'], ['Vân Canh', 'Sơn Đồng'], ['Sơn Đồng', 'Sơn Đồng']]),
    streets: ['thôn Lai Xá', 'thôn Vân Canh', 'thôn Đức Thượng', 'xóm Chùa', 'thôn Sơn Đồng', 'thôn An Thượng'],
  },
  {
    key: 'thuong-tin', urban: false, province: HA_TAY,
    names: [{ name: 'Huyện Thường Tín', to: REFORM_2025 }],
    wards: ruralWards([['Thường Tín', 'Thường Tín', true], ['Hà Hồi', 'Thường Tín'], ['Văn Bình', 'Hồng Vân'], ['Nhị Khê', 'Thường Tín'], ['Tô Hiệu', 'Chương Dương']]),
    streets: ['thôn Nhị Khê', 'thôn Hà Hồi', 'thôn Văn Hội', 'xóm Trại', 'thôn Đông Cù', 'thôn Tiên Lữ'],
  },
];

/** Districts of other provinces, for home towns (quê quán) and spouses from elsewhere. */
const HOMETOWN_PROVINCES: { province: Named[]; district: string; communes: string[] }[] = [
  { province: [{ name: 'Nam Định', to: '1965-04-21' }, { name: 'Nam Hà', from: '1965-04-21', to: '1976-02-27' }, { name: 'Hà Nam Ninh', from: '1976-02-27', to: '1992-04-01' }, { name: 'Nam Hà', from: '1992-04-01', to: '1997-01-01' }, { name: 'Nam Định', from: '1997-01-01' }], district: 'Huyện Hải Hậu', communes: ['Xã Hải Anh', 'Xã Hải Minh', 'Xã Hải Toàn', 'Xã Hải Vân'] },
  { province: [{ name: 'Nam Định', to: '1965-04-21' }, { name: 'Nam Hà', from: '1965-04-21', to: '1976-02-27' }, { name: 'Hà Nam Ninh', from: '1976-02-27', to: '1992-04-01' }, { name: 'Nam Hà', from: '1992-04-01', to: '1997-01-01' }, { name: 'Nam Định', from: '1997-01-01' }], district: 'Huyện Ý Yên', communes: ['Xã Yên Thắng', 'Xã Yên Tiến', 'Xã Yên Phong'] },
  { province: [{ name: 'Thái Bình' }], district: 'Huyện Đông Hưng', communes: ['Xã Đông La', 'Xã Đông Hợp', 'Xã Đông Xá'] },
  { province: [{ name: 'Thái Bình' }], district: 'Huyện Vũ Thư', communes: ['Xã Tân Hòa', 'Xã Song Lãng', 'Xã Việt Hùng'] },
  { province: [{ name: 'Hà Nam', to: '1965-04-21' }, { name: 'Nam Hà', from: '1965-04-21', to: '1976-02-27' }, { name: 'Hà Nam Ninh', from: '1976-02-27', to: '1992-04-01' }, { name: 'Nam Hà', from: '1992-04-01', to: '1997-01-01' }, { name: 'Hà Nam', from: '1997-01-01' }], district: 'Huyện Kim Bảng', communes: ['Xã Nhật Tân', 'Xã Thụy Lôi', 'Xã Lê Hồ'] },
  { province: [{ name: 'Hải Dương', to: '1968-03-01' }, { name: 'Hải Hưng', from: '1968-03-01', to: '1997-01-01' }, { name: 'Hải Dương', from: '1997-01-01' }], district: 'Huyện Gia Lộc', communes: ['Xã Gia Xuyên', 'Xã Yết Kiêu', 'Xã Hoàng Diệu'] },
  { province: [{ name: 'Hưng Yên', to: '1968-03-01' }, { name: 'Hải Hưng', from: '1968-03-01', to: '1997-01-01' }, { name: 'Hưng Yên', from: '1997-01-01' }], district: 'Huyện Khoái Châu', communes: ['Xã Đông Tảo', 'Xã Bình Minh', 'Xã Dạ Trạch'] },
  { province: [{ name: 'Thanh Hóa' }], district: 'Huyện Hoằng Hóa', communes: ['Xã Hoằng Lộc', 'Xã Hoằng Đạo', 'Xã Hoằng Kim'] },
  { province: [{ name: 'Nghệ An', to: '1976-02-27' }, { name: 'Nghệ Tĩnh', from: '1976-02-27', to: '1991-08-12' }, { name: 'Nghệ An', from: '1991-08-12' }], district: 'Huyện Nam Đàn', communes: ['Xã Kim Liên', 'Xã Nam Giang', 'Xã Xuân Hòa'] },
];

/** Province codes of the personal ID number and the old CMND prefix (Circular 07/2016; CMND prefixes ≈). */
export const ID_PROVINCE_CODES: Readonly<Record<string, { personal: string; cmnd: string }>> = {
  'Hà Nội': { personal: '001', cmnd: '01' }, 'Hà Tây': { personal: '001', cmnd: '11' }, 'Nam Định': { personal: '036', cmnd: '16' },
  'Thái Bình': { personal: '034', cmnd: '15' }, 'Hà Nam': { personal: '035', cmnd: '16' }, 'Hải Dương': { personal: '030', cmnd: '14' },
  'Hưng Yên': { personal: '033', cmnd: '14' }, 'Thanh Hóa': { personal: '038', cmnd: '17' }, 'Nghệ An': { personal: '040', cmnd: '18' },
};

/** Hospitals and other places of birth or death, with the district they are in and when they bore that name. */
const INSTITUTIONS: { name: string; district: string; from?: string; to?: string; births: boolean; deaths: boolean }[] = [
  { name: 'Bệnh viện Bạch Mai', district: 'dong-da', births: true, deaths: true },
  { name: 'Bệnh viện Việt Đức', district: 'hoan-kiem', from: '1958-01-01', births: false, deaths: true },
  { name: 'Bệnh viện Thanh Nhàn', district: 'hai-ba-trung', from: '1958-01-01', births: true, deaths: true },
  { name: 'Bệnh viện Xanh Pôn', district: 'ba-dinh', births: true, deaths: true },
  { name: 'Bệnh viện Phụ sản Hà Nội', district: 'ba-dinh', from: '1966-01-01', births: true, deaths: false },
  { name: 'Viện Bảo vệ Bà mẹ và Trẻ sơ sinh', district: 'hoan-kiem', from: '1966-01-01', to: '2003-06-01', births: true, deaths: false },
  { name: 'Bệnh viện Phụ sản Trung ương', district: 'hoan-kiem', from: '2003-06-01', births: true, deaths: false },
  { name: 'Bệnh viện Đa khoa tỉnh Hà Tây', district: 'ha-dong', from: '1991-08-12', to: '2008-08-01', births: true, deaths: true },
  { name: 'Bệnh viện Đa khoa Hà Đông', district: 'ha-dong', from: '2008-08-01', births: true, deaths: true },
  { name: 'Bệnh viện K', district: 'hoan-kiem', from: '1969-01-01', births: false, deaths: true },
  { name: 'Bệnh viện E', district: 'cau-giay', from: '1997-01-01', births: true, deaths: true },
  { name: 'Bệnh viện Đa khoa Đức Giang', district: 'long-bien', from: '2004-01-01', births: true, deaths: true },
];

/** A place as an event fixes it (unit keys), written later with the names of the day it is written. */
export interface PlaceRef {
  district: string;
  ward: number;
  /** House address or hamlet, or an institution name. */
  line?: string;
  institution?: string;
  /** An institution known by its own name: written with its district and province, not a ward. */
  noWard?: boolean;
}

/** A place written out at a date: the parts, in Vietnamese, kind included ("Phường Bạch Mai"). */
export interface PlaceParts {
  line?: string;
  ward?: string;
  district?: string;
  province: string;
}

/** How a clerk writes a place: with kinds in full, abbreviated (P./Q./H./X.), bare names, or old lower-case kinds. */
export type PlaceStyle = 'full' | 'abbrev' | 'bare' | 'old';

export const districtByKey = (key: string): District => {
  const d = DISTRICTS.find((x) => x.key === key);
  if (!d) throw new Error(`unknown district ${key}`);
  return d;
};
export const districtExists = (key: string, date: Ymd): boolean => nameAt(districtByKey(key).names, isoDate(date)) !== undefined;
/** The first day a district no longer exists under its last name (undefined: still exists). */
export const districtEndsOn = (key: string): string | undefined => districtByKey(key).names.at(-1)?.to;
export const districtsAt = (date: Ymd): District[] => DISTRICTS.filter((d) => nameAt(d.names, isoDate(date)) !== undefined);

function wardName(d: District, ward: Ward, iso: string): string {
  if (iso >= REFORM_2025) return ward.after2025;
  if (!d.urban) return `${ward.town ? 'Thị trấn' : 'Xã'} ${ward.name}`;
  return d.names.some((n) => n.name.startsWith('Khu phố')) && iso < URBAN_RENAME ? `Tiểu khu ${ward.name}` : `Phường ${ward.name}`;
}

/** The units of `ref` as named on `date` (after 1 July 2025 there is no district level). */
export function placeParts(ref: PlaceRef, date: Ymd): PlaceParts {
  const iso = isoDate(date);
  const d = districtByKey(ref.district);
  const line = ref.institution ?? ref.line;
  const province = nameAt(d.province, iso) ?? 'Hà Nội';
  const ward = ref.noWard ? undefined : wardName(d, at(d.wards, ref.ward), iso);
  if (iso >= REFORM_2025) return { line, ward: ward ?? wardName(d, at(d.wards, ref.ward), iso), province };
  return { line, ward, district: nameAt(d.names, iso) ?? nameAt(d.names, '2025-06-30'), province };
}

const ABBREVIATIONS: [RegExp, string][] = [
  [/^Phường /, 'P. '], [/^Quận /, 'Q. '], [/^Huyện /, 'H. '], [/^Xã /, 'X. '], [/^Thị trấn /, 'TT. '], [/^Thị xã /, 'TX. '], [/^Thành phố /, 'TP. '], [/^Tỉnh /, 'T. '],
];
const KIND = /^(Phường|Quận|Huyện|Xã|Thị trấn|Thị xã|Thành phố|Khu phố|Tiểu khu|Tỉnh) /;

/**
 * Writes place parts the way a clerk of the era would.
 *
 * @example
 * writePlace({ ward: 'Phường Bạch Mai', district: 'Quận Hai Bà Trưng', province: 'Hà Nội' }, 'abbrev'); // "P. Bạch Mai, Q. Hai Bà Trưng, Hà Nội"
 */
export function writePlace(p: PlaceParts, style: PlaceStyle, withProvince = true): string {
  const provinceFull = `${CITY_PROVINCES.has(p.province) ? 'Thành phố' : 'Tỉnh'} ${p.province}`;
  const units = [p.ward, p.district].filter((x): x is string => Boolean(x));
  let written: string[];
  if (style === 'full') written = [...units, ...(withProvince ? [provinceFull] : [])];
  else if (style === 'abbrev') written = [...units.map((u) => ABBREVIATIONS.reduce((s, [re, ab]) => s.replace(re, ab), u)), ...(withProvince ? [CITY_PROVINCES.has(p.province) ? p.province : `T. ${p.province}`] : [])];
  else if (style === 'bare') written = [...units.map((u) => u.replace(KIND, '')), ...(withProvince ? [p.province] : [])];
  else written = [...units.map((u) => u.replace(KIND, (k) => k.toLowerCase())), ...(withProvince ? [p.province] : [])];
  return [p.line, ...written].filter(Boolean).join(', ');
}

/** A home address in `district` (a ward of it, a house on one of its streets or a hamlet) as of `year`. */
export function drawAddress(r: Rng, districtKey: string, year: number, ward?: number): PlaceRef {
  const d = districtByKey(districtKey);
  const street = r.pick(d.streets);
  // collective housing blocks ("khu tập thể", flats in "nhà B4") spread from the 1960s–70s
  const flats = year >= 1970 ? 1 : 0;
  const line = d.urban
    ? r.weighted([[`Số ${r.int(1, 180)} ${street}`, 5], [`Số ${r.int(1, 60)} ngõ ${r.int(2, 350)} ${street.replace(/^(phố|đường) /, '')}`, 4], [`Tổ ${r.int(1, 40)}`, 1], [`Phòng ${r.int(1, 5)}0${r.int(1, 9)} nhà ${r.pick(['A', 'B', 'C', 'D'])}${r.int(1, 12)}`, flats]])
    : r.weighted([[street.replace(/^thôn /, 'Thôn ').replace(/^xóm /, 'Xóm '), 5], [`Xóm ${r.int(1, 12)}`, 2], [`Đội ${r.int(1, 9)}`, 1]]);
  return { district: districtKey, ward: ward ?? r.int(0, d.wards.length - 1), line };
}

/** A hospital (or health station, or home) where a birth or death happened on `date`. */
export function drawInstitution(r: Rng, date: Ymd, kind: 'births' | 'deaths', home: PlaceRef): PlaceRef {
  const iso = isoDate(date);
  const open = INSTITUTIONS.filter((i) => i[kind] && inSpan(iso, i) && nameAt(districtByKey(i.district).names, iso));
  // home births were common before 1990; commune health stations took births in the rural districts
  const homeShare = kind === 'births' ? (date.y < 1975 ? 0.35 : date.y < 1990 ? 0.15 : 0.02) : 0.4;
  if (open.length === 0 || r.chance(homeShare)) return { ...home, institution: kind === 'births' ? 'Tại nhà' : r.pick(['Tại nhà riêng', 'Tại nhà', 'Tại nơi cư trú']) };
  if (!districtByKey(home.district).urban && kind === 'births' && date.y >= 1970 && r.chance(0.4)) {
    return { district: home.district, ward: home.ward, institution: `Trạm y tế ${wardName(districtByKey(home.district), at(districtByKey(home.district).wards, home.ward), iso).replace(/^Thị trấn/, 'thị trấn').replace(/^Xã/, 'xã')}` };
  }
  const inst = r.pick(open);
  return { district: inst.district, ward: 0, institution: inst.name, noWard: true };
}

/** A home town (quê quán) drawn for someone whose family comes from elsewhere, written as of `date`. */
export function drawHometown(r: Rng, date: Ymd, style: PlaceStyle): string {
  // quê quán is copied from the family's papers: after the 2025 merger it often keeps the pre-reform names
  const iso = isoDate(date) >= REFORM_2025 ? '2025-06-30' : isoDate(date);
  const h = r.pick(HOMETOWN_PROVINCES);
  const parts: PlaceParts = { ward: r.pick(h.communes), district: h.district, province: nameAt(h.province, iso) ?? 'Hà Nội' };
  return writePlace(parts, style);
}

/** The written province of a place, for choosing an ID province code. */
export const provinceOf = (ref: PlaceRef, date: Ymd): string => placeParts(ref, date).province;

/** The registering office of a ward on a date: "Phường Bạch Mai, Quận Hai Bà Trưng" (no district after 2025). */
export function officeName(districtKey: string, ward: number, date: Ymd): string {
  const p = placeParts({ district: districtKey, ward }, date);
  return [p.ward, p.district].filter(Boolean).join(', ');
}

/** The authority heading a register page: "Ủy ban hành chính" until the 1980 Constitution, then "Ủy ban nhân dân". */
export const authorityName = (date: Ymd): string => (isoDate(date) < URBAN_RENAME ? 'Ủy ban hành chính' : 'Ủy ban nhân dân');
