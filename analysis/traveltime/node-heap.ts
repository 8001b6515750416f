// binary min-heap of (node, cost) in typed arrays; stale entries are skipped on pop (lazy deletion)
export class NodeHeap {
  ids: Int32Array;
  values: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
  }
  push(id: number, value: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2), values = new Float64Array(this.size * 2);
      ids.set(this.ids);
      values.set(this.values);
      this.ids = ids;
      this.values = values;
    }
    let pos = this.size++;
    const { ids, values } = this;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (values[parent] <= value) break;
      ids[pos] = ids[parent];
      values[pos] = values[parent];
      pos = parent;
    }
    ids[pos] = id;
    values[pos] = value;
  }
  peekValue(): number {
    return this.values[0];
  }
  pop(): number {
    const { ids, values } = this;
    const top = ids[0];
    const last = --this.size;
    if (last > 0) {
      const id = ids[last], value = values[last];
      let pos = 0;
      const half = last >> 1;
      while (pos < half) {
        let child = 2 * pos + 1;
        if (child + 1 < last && values[child + 1] < values[child]) child++;
        if (values[child] >= value) break;
        ids[pos] = ids[child];
        values[pos] = values[child];
        pos = child;
      }
      ids[pos] = id;
      values[pos] = value;
    }
    return top;
  }
}
