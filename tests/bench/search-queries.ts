/**
 * The fixed 50 searches of the benchmark: one- to four-character Chinese words, phrases, English words,
 * field filters, date ranges, exclusions and OR, and one very common word (市场: a quarter of all posts,
 * 25,000 hits at N = 100,000). All words come from the generator's vocabulary or its planted query words.
 */
export const SEARCH_QUERIES: readonly string[] = [
  // one character (a prefix query: every bigram starting with it)
  '市', '钢', '车', '银', '电',
  // two characters
  '投资', '银行', '上海', '芯片', '物流', '光伏', '同比', '汽车',
  // three and four characters
  '新能源', '半导体', '碳中和', '钙钛矿', '石墨烯', '人工智能', '数据中心', '跨境电商', '集成电路',
  // phrases and several words
  '"同比增长"', '市场 投资', '上海 银行 物流', '"新能源 汽车"', '国家统计局 同比',
  // English
  'Northwind', 'growth', 'market', 'investors', 'ChatGPT', 'PMI', 'iPhone 芯片',
  // field filters
  'tag:财经快讯', 'category:tech', 'category:stock 投资', 'title:市场', 'title:上海 tag:宏观新闻',
  // date ranges
  'after:2022-01-01 before:2023-01-01', '市场 after:2021', '投资 before:2020-06', '银行 after:2023-03 before:2023-09',
  // exclusion and OR
  '市场 -投资', '银行 OR 保险', '芯片 OR 半导体 OR 集成电路', '-市场 category:finance', '新能源 -汽车',
  // the very common word, and it with a filter
  '市场', '市场 tag:财经快讯',
];
