/**
 * The dated gazetteer's data: administrative units with their written names over time and the unit each
 * belongs to today (after the reform of 1 July 2025). Every province of the country; districts and communes only
 * for a subset: Hà Nội's districts and wards the sample generator uses, the former Hà Tây area, and the districts of
 * other provinces home towns are drawn from.
 * Extend it by adding rows; `gazetteer.ts` holds no facts. Source and licence: DATA-LICENCE.md beside this
 * file. Dates marked ≈ (in DATA-LICENCE.md) are approximate and are corrected here.
 */

/** A written name valid from `from` (included) to `to` (excluded), ISO dates; open ends are unbounded. */
export interface DatedName {
  kind: string;
  name: string;
  from?: string;
  to?: string;
}

/** A province-level unit: its written names over time and the province it is part of today. */
export interface ProvinceData {
  id: string;
  names: DatedName[];
  /** Today's province (after 1 July 2025), by name. */
  today: string;
}

/**
 * A district-level unit (abolished on 1 July 2025) and its communes: [kind, name, today's commune-level
 * unit]. `province` lists which province it was in over time (a province id and the span).
 */
export interface DistrictData {
  id: string;
  province: { id: string; from?: string; to?: string }[];
  names: DatedName[];
  communes: [kind: string, name: string, today: string][];
}

/** 1 July 2025: districts abolished, communes merged, 63 provinces became 34. */
export const REFORM_2025 = '2025-07-01';

/**
 * Provinces merged under one name from `from` to `to` and split again under their earlier names: each keeps its
 * own name before and after, and the merged name between ([id, own name, today's province] per province).
 */
function splitOf(kind: string, merged: string, from: string, to: string, parts: [id: string, name: string, today: string][]): ProvinceData[] {
  return parts.map(([id, name, today]) => ({
    id,
    // a name that is not today's province ended with the reform of 2025
    names: [{ kind, name, to: from }, { kind, name: merged, from, to }, { kind, name, from: to, ...(name === today ? {} : { to: REFORM_2025 }) }],
    today,
  }));
}

export const PROVINCES: readonly ProvinceData[] = [
  { id: 'ha-noi', names: [{ kind: 'Thành phố', name: 'Hà Nội' }], today: 'Hà Nội' },
  {
    id: 'ha-tay',
    names: [
      { kind: 'Tỉnh', name: 'Hà Đông', to: '1965-04-21' },
      { kind: 'Tỉnh', name: 'Hà Tây', from: '1965-04-21', to: '1976-02-27' },
      { kind: 'Tỉnh', name: 'Hà Sơn Bình', from: '1976-02-27', to: '1991-08-12' },
      { kind: 'Tỉnh', name: 'Hà Tây', from: '1991-08-12', to: '2008-08-01' },
    ],
    today: 'Hà Nội',
  },
  { id: 'son-tay', names: [{ kind: 'Tỉnh', name: 'Sơn Tây', to: '1965-04-21' }], today: 'Hà Nội' },
  {
    id: 'nam-dinh',
    names: [
      { kind: 'Tỉnh', name: 'Nam Định', to: '1965-04-21' },
      { kind: 'Tỉnh', name: 'Nam Hà', from: '1965-04-21', to: '1976-02-27' },
      { kind: 'Tỉnh', name: 'Hà Nam Ninh', from: '1976-02-27', to: '1992-04-01' },
      { kind: 'Tỉnh', name: 'Nam Hà', from: '1992-04-01', to: '1997-01-01' },
      { kind: 'Tỉnh', name: 'Nam Định', from: '1997-01-01', to: REFORM_2025 },
    ],
    today: 'Ninh Bình',
  },
  {
    id: 'ha-nam',
    names: [
      { kind: 'Tỉnh', name: 'Hà Nam', to: '1965-04-21' },
      { kind: 'Tỉnh', name: 'Nam Hà', from: '1965-04-21', to: '1976-02-27' },
      { kind: 'Tỉnh', name: 'Hà Nam Ninh', from: '1976-02-27', to: '1992-04-01' },
      { kind: 'Tỉnh', name: 'Nam Hà', from: '1992-04-01', to: '1997-01-01' },
      { kind: 'Tỉnh', name: 'Hà Nam', from: '1997-01-01', to: REFORM_2025 },
    ],
    today: 'Ninh Bình',
  },
  { id: 'thai-binh', names: [{ kind: 'Tỉnh', name: 'Thái Bình', to: REFORM_2025 }], today: 'Hưng Yên' },
  {
    id: 'hai-duong',
    names: [{ kind: 'Tỉnh', name: 'Hải Dương', to: '1968-03-01' }, { kind: 'Tỉnh', name: 'Hải Hưng', from: '1968-03-01', to: '1997-01-01' }, { kind: 'Tỉnh', name: 'Hải Dương', from: '1997-01-01', to: REFORM_2025 }],
    today: 'Hải Phòng',
  },
  {
    id: 'hung-yen',
    names: [{ kind: 'Tỉnh', name: 'Hưng Yên', to: '1968-03-01' }, { kind: 'Tỉnh', name: 'Hải Hưng', from: '1968-03-01', to: '1997-01-01' }, { kind: 'Tỉnh', name: 'Hưng Yên', from: '1997-01-01' }],
    today: 'Hưng Yên',
  },
  { id: 'hai-phong', names: [{ kind: 'Thành phố', name: 'Hải Phòng' }], today: 'Hải Phòng' },
  {
    id: 'ninh-binh',
    names: [{ kind: 'Tỉnh', name: 'Ninh Bình', to: '1976-02-27' }, { kind: 'Tỉnh', name: 'Hà Nam Ninh', from: '1976-02-27', to: '1992-04-01' }, { kind: 'Tỉnh', name: 'Ninh Bình', from: '1992-04-01' }],
    today: 'Ninh Bình',
  },
  { id: 'thanh-hoa', names: [{ kind: 'Tỉnh', name: 'Thanh Hóa' }], today: 'Thanh Hóa' },
  {
    id: 'nghe-an',
    names: [{ kind: 'Tỉnh', name: 'Nghệ An', to: '1976-02-27' }, { kind: 'Tỉnh', name: 'Nghệ Tĩnh', from: '1976-02-27', to: '1991-08-12' }, { kind: 'Tỉnh', name: 'Nghệ An', from: '1991-08-12' }],
    today: 'Nghệ An',
  },
  // The rest of the country at province level (their districts and communes are not compiled: a place there
  // resolves to its province). Merged provinces of 1962–1978 and their splits of 1989–1997, then 2004's splits.
  ...splitOf('Tỉnh', 'Hà Tuyên', '1976-02-27', '1991-08-12', [['ha-giang', 'Hà Giang', 'Tuyên Quang'], ['tuyen-quang', 'Tuyên Quang', 'Tuyên Quang']]),
  ...splitOf('Tỉnh', 'Cao Lạng', '1976-02-27', '1978-12-29', [['cao-bang', 'Cao Bằng', 'Cao Bằng'], ['lang-son', 'Lạng Sơn', 'Lạng Sơn']]),
  ...splitOf('Tỉnh', 'Hoàng Liên Sơn', '1976-02-27', '1991-08-12', [['lao-cai', 'Lào Cai', 'Lào Cai'], ['yen-bai', 'Yên Bái', 'Lào Cai']]),
  { id: 'nghia-lo', names: [{ kind: 'Tỉnh', name: 'Nghĩa Lộ', to: '1976-02-27' }], today: 'Lào Cai' },
  ...splitOf('Tỉnh', 'Bắc Thái', '1965-04-21', '1997-01-01', [['bac-kan', 'Bắc Kạn', 'Thái Nguyên'], ['thai-nguyen', 'Thái Nguyên', 'Thái Nguyên']]),
  ...splitOf('Tỉnh', 'Vĩnh Phú', '1968-03-01', '1997-01-01', [['phu-tho', 'Phú Thọ', 'Phú Thọ'], ['vinh-phuc', 'Vĩnh Phúc', 'Phú Thọ']]),
  ...splitOf('Tỉnh', 'Hà Bắc', '1963-04-01', '1997-01-01', [['bac-giang', 'Bắc Giang', 'Bắc Ninh'], ['bac-ninh', 'Bắc Ninh', 'Bắc Ninh']]),
  { id: 'hoa-binh', names: [{ kind: 'Tỉnh', name: 'Hòa Bình', to: '1976-02-27' }, { kind: 'Tỉnh', name: 'Hà Sơn Bình', from: '1976-02-27', to: '1991-08-12' }, { kind: 'Tỉnh', name: 'Hòa Bình', from: '1991-08-12', to: REFORM_2025 }], today: 'Phú Thọ' },
  { id: 'lai-chau', names: [{ kind: 'Tỉnh', name: 'Lai Châu' }], today: 'Lai Châu' },
  // Lai Châu held today's Điện Biên until 2004: a place written "Lai Châu" before then is in one of the two
  { id: 'dien-bien', names: [{ kind: 'Tỉnh', name: 'Lai Châu', to: '2004-01-01' }, { kind: 'Tỉnh', name: 'Điện Biên', from: '2004-01-01' }], today: 'Điện Biên' },
  { id: 'son-la', names: [{ kind: 'Tỉnh', name: 'Sơn La' }], today: 'Sơn La' },
  {
    id: 'quang-ninh',
    names: [{ kind: 'Tỉnh', name: 'Hải Ninh', to: '1963-10-30' }, { kind: 'Khu', name: 'Hồng Quảng', to: '1963-10-30' }, { kind: 'Tỉnh', name: 'Quảng Ninh', from: '1963-10-30' }],
    today: 'Quảng Ninh',
  },
  { id: 'kien-an', names: [{ kind: 'Tỉnh', name: 'Kiến An', to: '1962-10-27' }], today: 'Hải Phòng' },
  { id: 'ha-tinh', names: [{ kind: 'Tỉnh', name: 'Hà Tĩnh', to: '1976-02-27' }, { kind: 'Tỉnh', name: 'Nghệ Tĩnh', from: '1976-02-27', to: '1991-08-12' }, { kind: 'Tỉnh', name: 'Hà Tĩnh', from: '1991-08-12' }], today: 'Hà Tĩnh' },
  ...splitOf('Tỉnh', 'Bình Trị Thiên', '1976-02-27', '1989-07-01', [['quang-binh', 'Quảng Bình', 'Quảng Trị'], ['quang-tri', 'Quảng Trị', 'Quảng Trị']]),
  {
    id: 'hue',
    names: [
      { kind: 'Tỉnh', name: 'Thừa Thiên', to: '1976-02-27' },
      { kind: 'Tỉnh', name: 'Bình Trị Thiên', from: '1976-02-27', to: '1989-07-01' },
      { kind: 'Tỉnh', name: 'Thừa Thiên - Huế', from: '1989-07-01', to: '2025-01-01' },
      { kind: 'Thành phố', name: 'Huế', from: '2025-01-01' },
    ],
    today: 'Huế',
  },
  ...splitOf('Tỉnh', 'Quảng Nam - Đà Nẵng', '1976-02-27', '1997-01-01', [['quang-nam', 'Quảng Nam', 'Đà Nẵng'], ['da-nang', 'Đà Nẵng', 'Đà Nẵng']]),
  ...splitOf('Tỉnh', 'Nghĩa Bình', '1976-02-27', '1989-07-01', [['quang-ngai', 'Quảng Ngãi', 'Quảng Ngãi'], ['binh-dinh', 'Bình Định', 'Gia Lai']]),
  ...splitOf('Tỉnh', 'Gia Lai - Kon Tum', '1976-02-27', '1991-08-12', [['kon-tum', 'Kon Tum', 'Quảng Ngãi'], ['gia-lai', 'Gia Lai', 'Gia Lai']]),
  ...splitOf('Tỉnh', 'Phú Khánh', '1976-02-27', '1989-07-01', [['phu-yen', 'Phú Yên', 'Đắk Lắk'], ['khanh-hoa', 'Khánh Hòa', 'Khánh Hòa']]),
  ...splitOf('Tỉnh', 'Thuận Hải', '1976-02-27', '1992-04-01', [['ninh-thuan', 'Ninh Thuận', 'Khánh Hòa'], ['binh-thuan', 'Bình Thuận', 'Lâm Đồng']]),
  { id: 'dak-lak', names: [{ kind: 'Tỉnh', name: 'Đắk Lắk' }, { kind: 'Tỉnh', name: 'Đắc Lắc', to: '2004-01-01' }], today: 'Đắk Lắk' },
  // ... and Đắk Lắk held Đắk Nông
  {
    id: 'dak-nong',
    names: [{ kind: 'Tỉnh', name: 'Đắk Lắk', to: '2004-01-01' }, { kind: 'Tỉnh', name: 'Đắc Lắc', to: '2004-01-01' }, { kind: 'Tỉnh', name: 'Đắk Nông', from: '2004-01-01', to: REFORM_2025 }],
    today: 'Lâm Đồng',
  },
  { id: 'lam-dong', names: [{ kind: 'Tỉnh', name: 'Lâm Đồng' }], today: 'Lâm Đồng' },
  {
    id: 'ho-chi-minh',
    names: [{ kind: 'Thành phố', name: 'Sài Gòn', to: '1976-07-02' }, { kind: 'Thành phố', name: 'Sài Gòn - Gia Định', to: '1976-07-02' }, { kind: 'Thành phố', name: 'Hồ Chí Minh', from: '1976-07-02' }],
    today: 'Hồ Chí Minh',
  },
  ...splitOf('Tỉnh', 'Sông Bé', '1976-02-27', '1997-01-01', [['binh-duong', 'Bình Dương', 'Hồ Chí Minh'], ['binh-phuoc', 'Bình Phước', 'Đồng Nai']]),
  {
    id: 'ba-ria-vung-tau',
    names: [{ kind: 'Đặc khu', name: 'Vũng Tàu - Côn Đảo', from: '1979-05-30', to: '1991-08-12' }, { kind: 'Tỉnh', name: 'Bà Rịa - Vũng Tàu', from: '1991-08-12', to: REFORM_2025 }],
    today: 'Hồ Chí Minh',
  },
  { id: 'dong-nai', names: [{ kind: 'Tỉnh', name: 'Đồng Nai', from: '1976-02-27' }], today: 'Đồng Nai' },
  { id: 'tay-ninh', names: [{ kind: 'Tỉnh', name: 'Tây Ninh' }], today: 'Tây Ninh' },
  { id: 'long-an', names: [{ kind: 'Tỉnh', name: 'Long An', to: REFORM_2025 }], today: 'Tây Ninh' },
  { id: 'tien-giang', names: [{ kind: 'Tỉnh', name: 'Tiền Giang', from: '1976-02-27', to: REFORM_2025 }], today: 'Đồng Tháp' },
  { id: 'dong-thap', names: [{ kind: 'Tỉnh', name: 'Đồng Tháp', from: '1976-02-27' }], today: 'Đồng Tháp' },
  { id: 'ben-tre', names: [{ kind: 'Tỉnh', name: 'Bến Tre', to: REFORM_2025 }], today: 'Vĩnh Long' },
  ...splitOf('Tỉnh', 'Cửu Long', '1976-02-27', '1992-04-01', [['vinh-long', 'Vĩnh Long', 'Vĩnh Long'], ['tra-vinh', 'Trà Vinh', 'Vĩnh Long']]),
  { id: 'an-giang', names: [{ kind: 'Tỉnh', name: 'An Giang' }], today: 'An Giang' },
  { id: 'kien-giang', names: [{ kind: 'Tỉnh', name: 'Kiên Giang', to: REFORM_2025 }], today: 'An Giang' },
  ...splitOf('Tỉnh', 'Hậu Giang', '1976-02-27', '1992-04-01', [['can-tho', 'Cần Thơ', 'Cần Thơ'], ['soc-trang', 'Sóc Trăng', 'Cần Thơ']]),
  { id: 'hau-giang', names: [{ kind: 'Tỉnh', name: 'Hậu Giang', from: '2004-01-01', to: REFORM_2025 }], today: 'Cần Thơ' },
  ...splitOf('Tỉnh', 'Minh Hải', '1976-02-27', '1997-01-01', [['bac-lieu', 'Bạc Liêu', 'Cà Mau'], ['ca-mau', 'Cà Mau', 'Cà Mau']]),
];

const HA_NOI = [{ id: 'ha-noi' }];
const HA_TAY = [{ id: 'ha-tay', to: '2008-08-01' }, { id: 'ha-noi', from: '2008-08-01' }];
const SON_TAY = [
  { id: 'son-tay', to: '1965-04-21' },
  { id: 'ha-tay', from: '1965-04-21', to: '1978-12-29' },
  { id: 'ha-noi', from: '1978-12-29', to: '1991-08-12' },
  { id: 'ha-tay', from: '1991-08-12', to: '2008-08-01' },
  { id: 'ha-noi', from: '2008-08-01' },
];
const upTo2025 = (kind: string, name: string): DatedName[] => [{ kind, name, to: REFORM_2025 }];

export const DISTRICTS: readonly DistrictData[] = [
  {
    id: 'hoan-kiem', province: HA_NOI,
    names: [{ kind: 'Khu phố', name: 'Hoàn Kiếm', to: '1981-01-01' }, { kind: 'Quận', name: 'Hoàn Kiếm', from: '1981-01-01', to: '2025-07-01' }],
    communes: [['Phường', 'Hàng Bạc', 'Phường Hoàn Kiếm'], ['Phường', 'Hàng Bồ', 'Phường Hoàn Kiếm'], ['Phường', 'Hàng Gai', 'Phường Hoàn Kiếm'], ['Phường', 'Hàng Trống', 'Phường Hoàn Kiếm'], ['Phường', 'Đồng Xuân', 'Phường Hoàn Kiếm'], ['Phường', 'Cửa Đông', 'Phường Cửa Nam'], ['Phường', 'Phan Chu Trinh', 'Phường Cửa Nam'], ['Phường', 'Tràng Tiền', 'Phường Hoàn Kiếm']],
  },
  {
    id: 'hai-ba-trung', province: HA_NOI,
    names: [{ kind: 'Khu phố', name: 'Hai Bà Trưng', to: '1981-01-01' }, { kind: 'Quận', name: 'Hai Bà Trưng', from: '1981-01-01', to: '2025-07-01' }],
    communes: [['Phường', 'Bạch Mai', 'Phường Bạch Mai'], ['Phường', 'Quỳnh Lôi', 'Phường Bạch Mai'], ['Phường', 'Trương Định', 'Phường Bạch Mai'], ['Phường', 'Minh Khai', 'Phường Vĩnh Tuy'], ['Phường', 'Thanh Nhàn', 'Phường Hai Bà Trưng'], ['Phường', 'Lê Đại Hành', 'Phường Hai Bà Trưng'], ['Phường', 'Bách Khoa', 'Phường Bạch Mai'], ['Phường', 'Đồng Tâm', 'Phường Bạch Mai'], ['Phường', 'Vĩnh Tuy', 'Phường Vĩnh Tuy']],
  },
  {
    id: 'dong-da', province: HA_NOI,
    names: [{ kind: 'Khu phố', name: 'Đống Đa', to: '1981-01-01' }, { kind: 'Quận', name: 'Đống Đa', from: '1981-01-01', to: '2025-07-01' }],
    communes: [['Phường', 'Kim Liên', 'Phường Kim Liên'], ['Phường', 'Phương Liên', 'Phường Kim Liên'], ['Phường', 'Trung Tự', 'Phường Kim Liên'], ['Phường', 'Khương Thượng', 'Phường Kim Liên'], ['Phường', 'Văn Miếu', 'Phường Văn Miếu - Quốc Tử Giám'], ['Phường', 'Quốc Tử Giám', 'Phường Văn Miếu - Quốc Tử Giám'], ['Phường', 'Láng Thượng', 'Phường Láng'], ['Phường', 'Ô Chợ Dừa', 'Phường Ô Chợ Dừa'], ['Phường', 'Nam Đồng', 'Phường Kim Liên']],
  },
  {
    id: 'ba-dinh', province: HA_NOI,
    names: [{ kind: 'Khu phố', name: 'Ba Đình', to: '1981-01-01' }, { kind: 'Quận', name: 'Ba Đình', from: '1981-01-01', to: '2025-07-01' }],
    communes: [['Phường', 'Quán Thánh', 'Phường Ba Đình'], ['Phường', 'Trúc Bạch', 'Phường Ba Đình'], ['Phường', 'Ngọc Hà', 'Phường Ngọc Hà'], ['Phường', 'Đội Cấn', 'Phường Ngọc Hà'], ['Phường', 'Liễu Giai', 'Phường Ngọc Hà'], ['Phường', 'Kim Mã', 'Phường Giảng Võ'], ['Phường', 'Giảng Võ', 'Phường Giảng Võ'], ['Phường', 'Cống Vị', 'Phường Giảng Võ']],
  },
  {
    id: 'tay-ho', province: HA_NOI,
    names: [{ kind: 'Quận', name: 'Tây Hồ', from: '1995-10-28', to: '2025-07-01' }],
    communes: [['Phường', 'Quảng An', 'Phường Tây Hồ'], ['Phường', 'Nhật Tân', 'Phường Tây Hồ'], ['Phường', 'Bưởi', 'Phường Tây Hồ'], ['Phường', 'Thụy Khuê', 'Phường Tây Hồ'], ['Phường', 'Xuân La', 'Phường Phú Thượng'], ['Phường', 'Phú Thượng', 'Phường Phú Thượng']],
  },
  {
    id: 'cau-giay', province: HA_NOI,
    names: [{ kind: 'Quận', name: 'Cầu Giấy', from: '1997-01-01', to: '2025-07-01' }],
    communes: [['Phường', 'Dịch Vọng', 'Phường Cầu Giấy'], ['Phường', 'Dịch Vọng Hậu', 'Phường Cầu Giấy'], ['Phường', 'Quan Hoa', 'Phường Cầu Giấy'], ['Phường', 'Mai Dịch', 'Phường Cầu Giấy'], ['Phường', 'Nghĩa Đô', 'Phường Nghĩa Đô'], ['Phường', 'Trung Hòa', 'Phường Yên Hòa'], ['Phường', 'Yên Hòa', 'Phường Yên Hòa']],
  },
  {
    id: 'thanh-xuan', province: HA_NOI,
    names: [{ kind: 'Quận', name: 'Thanh Xuân', from: '1997-01-01', to: '2025-07-01' }],
    communes: [['Phường', 'Thượng Đình', 'Phường Thanh Xuân'], ['Phường', 'Nhân Chính', 'Phường Thanh Xuân'], ['Phường', 'Khương Trung', 'Phường Khương Đình'], ['Phường', 'Kim Giang', 'Phường Khương Đình'], ['Phường', 'Thanh Xuân Bắc', 'Phường Thanh Xuân']],
  },
  {
    id: 'hoang-mai', province: HA_NOI,
    names: [{ kind: 'Quận', name: 'Hoàng Mai', from: '2004-01-01', to: '2025-07-01' }],
    communes: [['Phường', 'Hoàng Liệt', 'Phường Hoàng Liệt'], ['Phường', 'Định Công', 'Phường Định Công'], ['Phường', 'Tương Mai', 'Phường Tương Mai'], ['Phường', 'Giáp Bát', 'Phường Tương Mai'], ['Phường', 'Mai Động', 'Phường Tương Mai'], ['Phường', 'Vĩnh Hưng', 'Phường Vĩnh Hưng'], ['Phường', 'Lĩnh Nam', 'Phường Lĩnh Nam']],
  },
  {
    id: 'long-bien', province: HA_NOI,
    names: [{ kind: 'Quận', name: 'Long Biên', from: '2004-01-01', to: '2025-07-01' }],
    communes: [['Phường', 'Bồ Đề', 'Phường Bồ Đề'], ['Phường', 'Gia Thụy', 'Phường Bồ Đề'], ['Phường', 'Ngọc Lâm', 'Phường Bồ Đề'], ['Phường', 'Việt Hưng', 'Phường Việt Hưng'], ['Phường', 'Phúc Lợi', 'Phường Phúc Lợi'], ['Phường', 'Long Biên', 'Phường Long Biên']],
  },
  {
    id: 'tu-liem', province: HA_NOI,
    names: [{ kind: 'Huyện', name: 'Từ Liêm', from: '1961-05-31', to: '2014-04-01' }],
    communes: [['Thị trấn', 'Cầu Diễn', 'Phường Từ Liêm'], ['Xã', 'Mỹ Đình', 'Phường Từ Liêm'], ['Xã', 'Xuân Đỉnh', 'Phường Xuân Đỉnh'], ['Xã', 'Tây Mỗ', 'Phường Tây Mỗ'], ['Xã', 'Đại Mỗ', 'Phường Đại Mỗ'], ['Xã', 'Phú Diễn', 'Phường Phú Diễn'], ['Xã', 'Xuân Phương', 'Phường Xuân Phương'], ['Xã', 'Đông Ngạc', 'Phường Đông Ngạc']],
  },
  {
    id: 'nam-tu-liem', province: HA_NOI,
    names: [{ kind: 'Quận', name: 'Nam Từ Liêm', from: '2014-04-01', to: '2025-07-01' }],
    communes: [['Phường', 'Mỹ Đình 1', 'Phường Từ Liêm'], ['Phường', 'Mỹ Đình 2', 'Phường Từ Liêm'], ['Phường', 'Cầu Diễn', 'Phường Từ Liêm'], ['Phường', 'Tây Mỗ', 'Phường Tây Mỗ'], ['Phường', 'Đại Mỗ', 'Phường Đại Mỗ'], ['Phường', 'Phú Đô', 'Phường Từ Liêm'], ['Phường', 'Xuân Phương', 'Phường Xuân Phương']],
  },
  {
    id: 'bac-tu-liem', province: HA_NOI,
    names: [{ kind: 'Quận', name: 'Bắc Từ Liêm', from: '2014-04-01', to: '2025-07-01' }],
    communes: [['Phường', 'Xuân Đỉnh', 'Phường Xuân Đỉnh'], ['Phường', 'Đông Ngạc', 'Phường Đông Ngạc'], ['Phường', 'Thượng Cát', 'Phường Thượng Cát'], ['Phường', 'Phú Diễn', 'Phường Phú Diễn'], ['Phường', 'Cổ Nhuế 1', 'Phường Đông Ngạc']],
  },
  {
    id: 'gia-lam', province: HA_NOI,
    names: [{ kind: 'Huyện', name: 'Gia Lâm', from: '1961-05-31', to: '2025-07-01' }],
    communes: [['Thị trấn', 'Trâu Quỳ', 'Xã Gia Lâm'], ['Xã', 'Bát Tràng', 'Xã Bát Tràng'], ['Xã', 'Đa Tốn', 'Xã Gia Lâm'], ['Xã', 'Phù Đổng', 'Xã Phù Đổng'], ['Xã', 'Kiêu Kỵ', 'Xã Gia Lâm'], ['Xã', 'Dương Xá', 'Xã Thuận An']],
  },
  {
    id: 'thanh-tri', province: HA_NOI,
    names: [{ kind: 'Huyện', name: 'Thanh Trì', from: '1961-05-31', to: '2025-07-01' }],
    communes: [['Thị trấn', 'Văn Điển', 'Xã Thanh Trì'], ['Xã', 'Ngọc Hồi', 'Xã Ngọc Hồi'], ['Xã', 'Tả Thanh Oai', 'Xã Đại Thanh'], ['Xã', 'Tam Hiệp', 'Xã Thanh Trì'], ['Xã', 'Vĩnh Quỳnh', 'Xã Đại Thanh']],
  },
  {
    id: 'dong-anh', province: HA_NOI,
    names: [{ kind: 'Huyện', name: 'Đông Anh', from: '1961-05-31', to: '2025-07-01' }],
    communes: [['Thị trấn', 'Đông Anh', 'Xã Đông Anh'], ['Xã', 'Cổ Loa', 'Xã Đông Anh'], ['Xã', 'Uy Nỗ', 'Xã Đông Anh'], ['Xã', 'Vân Hà', 'Xã Thư Lâm'], ['Xã', 'Kim Chung', 'Xã Thiên Lộc'], ['Xã', 'Vĩnh Ngọc', 'Xã Phúc Thịnh']],
  },
  {
    id: 'ha-dong', province: HA_TAY,
    names: [{ kind: 'Thị xã', name: 'Hà Đông', to: '2006-12-27' }, { kind: 'Thành phố', name: 'Hà Đông', from: '2006-12-27', to: '2009-05-08' }, { kind: 'Quận', name: 'Hà Đông', from: '2009-05-08', to: '2025-07-01' }],
    communes: [['Phường', 'Nguyễn Trãi', 'Phường Hà Đông'], ['Phường', 'Quang Trung', 'Phường Hà Đông'], ['Phường', 'Vạn Phúc', 'Phường Hà Đông'], ['Phường', 'Mộ Lao', 'Phường Hà Đông'], ['Phường', 'Phúc La', 'Phường Hà Đông'], ['Phường', 'Yết Kiêu', 'Phường Hà Đông'], ['Phường', 'Văn Quán', 'Phường Hà Đông'], ['Phường', 'La Khê', 'Phường Dương Nội'], ['Phường', 'Hà Cầu', 'Phường Kiến Hưng']],
  },
  {
    id: 'son-tay', province: SON_TAY,
    names: [{ kind: 'Thị xã', name: 'Sơn Tây', to: '2025-07-01' }],
    communes: [['Phường', 'Lê Lợi', 'Phường Sơn Tây'], ['Phường', 'Ngô Quyền', 'Phường Sơn Tây'], ['Phường', 'Quang Trung', 'Phường Sơn Tây'], ['Phường', 'Sơn Lộc', 'Phường Tùng Thiện'], ['Phường', 'Xuân Khanh', 'Phường Tùng Thiện']],
  },
  {
    id: 'hoai-duc', province: SON_TAY,
    names: [{ kind: 'Huyện', name: 'Hoài Đức', to: '2025-07-01' }],
    communes: [['Thị trấn', 'Trạm Trôi', 'Xã Hoài Đức'], ['Xã', 'An Khánh', 'Xã An Khánh'], ['Xã', 'Đức Thượng', 'Xã Hoài Đức'], ['Xã', 'Vân Canh', 'Xã Sơn Đồng'], ['Xã', 'Sơn Đồng', 'Xã Sơn Đồng']],
  },
  {
    id: 'thuong-tin', province: HA_TAY,
    names: [{ kind: 'Huyện', name: 'Thường Tín', to: '2025-07-01' }],
    communes: [['Thị trấn', 'Thường Tín', 'Xã Thường Tín'], ['Xã', 'Hà Hồi', 'Xã Thường Tín'], ['Xã', 'Văn Bình', 'Xã Hồng Vân'], ['Xã', 'Nhị Khê', 'Xã Thường Tín'], ['Xã', 'Tô Hiệu', 'Xã Chương Dương']],
  },
  // Districts of other provinces (home towns). Their communes' units after 2025 are not compiled yet:
  // they resolve to the district and today's province.
  { id: 'hai-hau', province: [{ id: 'nam-dinh' }], names: upTo2025('Huyện', 'Hải Hậu'), communes: [['Xã', 'Hải Anh', ''], ['Xã', 'Hải Minh', ''], ['Xã', 'Hải Toàn', ''], ['Xã', 'Hải Vân', '']] },
  { id: 'y-yen', province: [{ id: 'nam-dinh' }], names: upTo2025('Huyện', 'Ý Yên'), communes: [['Xã', 'Yên Thắng', ''], ['Xã', 'Yên Tiến', ''], ['Xã', 'Yên Phong', '']] },
  { id: 'dong-hung', province: [{ id: 'thai-binh' }], names: upTo2025('Huyện', 'Đông Hưng'), communes: [['Xã', 'Đông La', ''], ['Xã', 'Đông Hợp', ''], ['Xã', 'Đông Xá', '']] },
  { id: 'vu-thu', province: [{ id: 'thai-binh' }], names: upTo2025('Huyện', 'Vũ Thư'), communes: [['Xã', 'Tân Hòa', ''], ['Xã', 'Song Lãng', ''], ['Xã', 'Việt Hùng', '']] },
  { id: 'kim-bang', province: [{ id: 'ha-nam' }], names: upTo2025('Huyện', 'Kim Bảng'), communes: [['Xã', 'Nhật Tân', ''], ['Xã', 'Thụy Lôi', ''], ['Xã', 'Lê Hồ', '']] },
  { id: 'gia-loc', province: [{ id: 'hai-duong' }], names: upTo2025('Huyện', 'Gia Lộc'), communes: [['Xã', 'Gia Xuyên', ''], ['Xã', 'Yết Kiêu', ''], ['Xã', 'Hoàng Diệu', '']] },
  { id: 'khoai-chau', province: [{ id: 'hung-yen' }], names: upTo2025('Huyện', 'Khoái Châu'), communes: [['Xã', 'Đông Tảo', ''], ['Xã', 'Bình Minh', ''], ['Xã', 'Dạ Trạch', '']] },
  { id: 'hoang-hoa', province: [{ id: 'thanh-hoa' }], names: upTo2025('Huyện', 'Hoằng Hóa'), communes: [['Xã', 'Hoằng Lộc', ''], ['Xã', 'Hoằng Đạo', ''], ['Xã', 'Hoằng Kim', '']] },
  { id: 'nam-dan', province: [{ id: 'nghe-an' }], names: upTo2025('Huyện', 'Nam Đàn'), communes: [['Xã', 'Kim Liên', ''], ['Xã', 'Nam Giang', ''], ['Xã', 'Xuân Hòa', '']] },
];
