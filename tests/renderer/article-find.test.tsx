// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { createRef } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { clearFindMarks, markText, searchMarks } from '../../src-renderer/components/article-find';
import { FindBar } from '../../src-renderer/components/find-bar';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore } from './test-utils';

const HTML = '<p>Steel and <b>steel</b> prices; <mark>钢铁</mark>市场与钢铁企业</p><p>STEEL again, <mark>钢铁</mark></p>';

describe('find in article (DOM)', () => {
  test('marks every occurrence, ignoring case, across elements and inside the search marks; clearing restores the HTML', () => {
    const root = document.createElement('div');
    root.innerHTML = HTML;
    const found = markText(root, 'steel');
    expect(found.map((m) => m.textContent)).toEqual(['Steel', 'steel', 'STEEL']);
    expect(markText(root, '钢铁')).toHaveLength(3);
    expect(searchMarks(root)).toHaveLength(2);
    clearFindMarks(root);
    expect(root.innerHTML).toBe(HTML);
    expect(markText(root, '')).toEqual([]);
  });
});

describe('FindBar', () => {
  afterEach(cleanup);

  function setUp(open: boolean) {
    const body = document.createElement('div');
    body.innerHTML = HTML;
    document.body.append(body);
    const bodyRef = { current: body };
    const inputRef = createRef<HTMLInputElement>();
    const store = makeStore(new FakeApi());
    renderWithStore(<FindBar bodyRef={bodyRef} html={HTML} remoteAllowed={false} open={open} inputRef={inputRef} onClose={() => undefined} />, store);
    return body;
  }

  test('with the find field: a count, Enter and Shift+Enter step through the matches and wrap', () => {
    const body = setUp(true);
    const input = screen.getByRole('searchbox', { name: 'Find in article' });
    act(() => void fireEvent.change(input, { target: { value: 'steel' } }));
    const count = () => document.querySelector('.find-count')?.textContent;
    expect(count()).toBe('1 of 3 matches');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(count()).toBe('2 of 3 matches');
    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    expect(count()).toBe('3 of 3 matches');
    expect(body.querySelector('.find-current')?.textContent).toBe('STEEL');
    act(() => void fireEvent.change(input, { target: { value: 'nothing like it' } }));
    expect(count()).toBe('No matches');
    body.remove();
  });

  test('without it, the search terms the core marked: "1 of 2 matches", next and previous', () => {
    const body = setUp(false);
    expect(screen.getByRole('search', { name: 'Search matches' }).textContent).toContain('1 of 2 matches');
    expect(body.querySelector('mark.find-current')).toBe(searchMarks(body)[0]);
    fireEvent.click(screen.getByRole('button', { name: 'Next match' }));
    expect(document.querySelector('.find-count')?.textContent).toBe('2 of 2 matches');
    expect(body.querySelector('mark.find-current')).toBe(searchMarks(body)[1]);
    body.remove();
  });

  test('nothing to show without marks or an open field', () => {
    const store = makeStore(new FakeApi());
    const bodyRef = { current: document.createElement('div') };
    renderWithStore(<FindBar bodyRef={bodyRef} html="<p>plain</p>" remoteAllowed={false} open={false} inputRef={createRef()} onClose={() => undefined} />, store);
    expect(document.querySelector('.find-bar')).toBeNull();
  });
});
