/** The articles behind the fake archive: a handful of English and Chinese posts, each pinning one behaviour. */
import type { Problem } from '../../src-main/shared/archive-api';

export interface FakePost {
  path: string;
  title: string;
  date: string | null;
  categories: string[];
  tags: string[];
  text: string;
  html?: string;
  hidden?: boolean;
  draft?: boolean;
  source?: string | null;
  hasRemoteContent?: boolean;
  author?: string;
  problems?: Problem[];
}

export const POSTS: FakePost[] = [
  {
    path: '_posts/2019-03-01-list-categories.md',
    title: 'City hall election results',
    date: '2019-03-01T09:15:00+01:00',
    categories: ['Politics', 'Local'],
    tags: ['election', 'city hall'],
    author: 'Jane Doe',
    text: 'The city council election ended with a narrow result. Read the official report.',
    html:
      '<p>The city council election ended with a narrow result.</p>' +
      '<p>Read the <a href="https://example.com/report">official report</a>, ' +
      '<a href="javascript:alert(1)">a trap</a>, <a href="/2019/other.html">a relative link</a>, ' +
      '<a href="mailto:desk@example.com">mail the desk</a> and <a href="http://example.org/x"><em>an emphasised link</em></a>.</p>',
    source: 'https://news.example.com/2019/03/01/city-hall',
  },
  {
    path: 'world/asia/_posts/2020-01-15-folder-categories.markdown',
    title: 'Rice farmers and the trade talks',
    date: '2020-01-15',
    categories: ['world', 'asia', 'economy'],
    tags: ['trade', 'agriculture'],
    text: 'Farmers across the region watch the trade talks closely, as rice prices fall.',
  },
  {
    path: '_posts/2020-12-31-timezone.md',
    title: "New Year's Eve fireworks",
    date: '2020-12-31T23:30:00-05:00',
    categories: ['Politics'],
    tags: ['celebration'],
    text: 'Fireworks lit up the harbour at midnight while the mayor gave a speech.',
  },
  {
    path: '_posts/2017-11-11-html-post.html',
    title: '双十一零售额创新高',
    date: '2017-11-11T20:00:00+08:00',
    categories: ['商业', '电商'],
    tags: ['双十一', '零售'],
    text: '今年双十一期间，各大电商平台的零售额再创新高，物流压力随之增加。',
  },
  {
    path: '_posts/2021-12-08-202112082206672930.md',
    title: '中国经济稳步增长',
    date: '2021-12-08',
    categories: ['财经'],
    tags: ['经济'],
    text: '国家统计局公布的数据显示，中国经济在第三季度稳步增长，消费持续回暖。',
    source: 'http://finance.example.cn/a/202112082206672930.html',
  },
  {
    path: '_posts/2024-04-01-hostile-html.md',
    title: 'A page with remote images',
    date: '2024-04-01',
    categories: ['Tech'],
    tags: ['privacy'],
    text: 'A chart and a tracking pixel.',
    html:
      '<p>A chart <img src="/asset/assets/images/chart.png" alt="chart"> and a tracking pixel ' +
      '<img data-remote-src="https://tracker.example/pixel.gif" alt="pixel"> and a bad one ' +
      '<img data-remote-src="javascript:alert(1)" alt="bad">.</p>',
    hasRemoteContent: true,
  },
  {
    path: '_posts/2023-03-03-english-stemming.md',
    title: 'Runners at the marathon',
    date: '2023-03-03T07:00:00',
    categories: ['Sports'],
    tags: ['running'],
    text: 'The runners ran through the city; running a marathon takes months of training.',
  },
  {
    path: '_posts/2021-02-30-impossible-date.md',
    title: 'Impossible date',
    date: null,
    categories: [],
    tags: [],
    text: 'This file name names a day that does not exist.',
    problems: [{ path: '_posts/2021-02-30-impossible-date.md', message: 'The file name date 2021-02-30 does not exist.', severity: 'warning' }],
  },
  {
    path: '_drafts/undated-draft.md',
    title: 'Undated draft',
    date: null,
    categories: ['Politics'],
    tags: ['election'],
    text: 'A draft about the election that was never published.',
    hidden: true,
    draft: true,
  },
];

/** Plain posts for paging tests: `Filler 0001` … dated one day apart, newest last. */
export function fillerPosts(count: number): FakePost[] {
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2010, 0, 1 + i)).toISOString().slice(0, 10);
    const n = String(i + 1).padStart(4, '0');
    return {
      path: `_posts/${day}-filler-${n}.md`,
      title: `Filler ${n}`,
      date: day,
      categories: ['Archive'],
      tags: ['filler'],
      text: `Filler text number ${n}.`,
    };
  });
}
