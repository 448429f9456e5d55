// @nutui/icons-react-taro: every icon is an empty span here.
import { createElement } from 'react';

const Icon = (p: { className?: string }) => createElement('span', { className: p.className, 'data-icon': true });
module.exports = new Proxy({}, { get: (_t, k) => (k === '__esModule' ? true : Icon) });
