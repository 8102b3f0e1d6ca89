// Deterministic sample data for the seed commands: the same products on every run and every
// machine (a seeded PRNG, no clock), so seeding is idempotent and load tests are comparable.
export interface SampleProduct {
  sku: string;
  name: string;
  category: string;
  price: number;
  stock: number;
  description: string;
  tags: string[];
}

/** mulberry32: small, fast, good enough for sample data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES: Record<string, { nouns: string[]; min: number; max: number }> = {
  kitchen: {
    nouns: ['Chef Knife', 'Frying Pan', 'Kettle', 'Cutting Board', 'Coffee Grinder', 'Stock Pot'],
    min: 9,
    max: 180,
  },
  outdoor: {
    nouns: ['Tent', 'Sleeping Bag', 'Headlamp', 'Water Bottle', 'Trekking Pole', 'Camp Stove'],
    min: 12,
    max: 420,
  },
  office: {
    nouns: ['Desk Lamp', 'Notebook', 'Monitor Stand', 'Office Chair', 'Pen Set', 'Desk Organizer'],
    min: 4,
    max: 350,
  },
  audio: {
    nouns: ['Headphones', 'Bluetooth Speaker', 'Earbuds', 'Turntable', 'Soundbar', 'Microphone'],
    min: 19,
    max: 600,
  },
  fitness: {
    nouns: [
      'Yoga Mat',
      'Kettlebell',
      'Jump Rope',
      'Resistance Band',
      'Foam Roller',
      'Dumbbell Set',
    ],
    min: 8,
    max: 250,
  },
  garden: {
    nouns: ['Pruning Shears', 'Watering Can', 'Hose Reel', 'Planter', 'Garden Gloves', 'Rake'],
    min: 6,
    max: 140,
  },
  toys: {
    nouns: ['Puzzle', 'Building Blocks', 'Kite', 'Board Game', 'Toy Train', 'Plush Bear'],
    min: 5,
    max: 90,
  },
  apparel: {
    nouns: ['Rain Jacket', 'Wool Socks', 'Beanie', 'Hoodie', 'Running Shoes', 'Backpack'],
    min: 9,
    max: 220,
  },
  lighting: {
    nouns: ['Floor Lamp', 'LED Strip', 'Pendant Light', 'Lantern', 'Night Light', 'Smart Bulb'],
    min: 7,
    max: 260,
  },
  tools: {
    nouns: [
      'Cordless Drill',
      'Screwdriver Set',
      'Tape Measure',
      'Spirit Level',
      'Hammer',
      'Socket Wrench',
    ],
    min: 6,
    max: 320,
  },
};
const ADJECTIVES = [
  'Classic',
  'Compact',
  'Deluxe',
  'Eco',
  'Ergonomic',
  'Heavy-Duty',
  'Lightweight',
  'Modern',
  'Premium',
  'Rugged',
  'Smart',
  'Vintage',
];
const MATERIALS = [
  'Bamboo',
  'Steel',
  'Oak',
  'Cotton',
  'Aluminium',
  'Ceramic',
  'Carbon',
  'Recycled',
  'Walnut',
  'Copper',
];
const BRANDS = [
  'Northwind',
  'Fabrikam',
  'Contoso',
  'Tailspin',
  'Litware',
  'Proseware',
  'Adatum',
  'Woodgrove',
];
const QUALITIES = [
  'built to last',
  'easy to clean',
  'designed for everyday use',
  'backed by a two-year warranty',
  'tested by our team',
  'made from responsibly sourced materials',
];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

export function sku(n: number): string {
  return `SKU-${String(n).padStart(6, '0')}`;
}

/** `count` products, SKU-000001 upwards; product n is the same whatever `count` is. */
export function sampleProducts(count = 1000): SampleProduct[] {
  const categories = Object.keys(CATEGORIES);
  const products: SampleProduct[] = [];
  for (let n = 1; n <= count; n++) {
    const rnd = seededRandom(n * 7919);
    const category = pick(rnd, categories);
    const spec = CATEGORIES[category]!;
    const noun = pick(rnd, spec.nouns);
    const adjective = pick(rnd, ADJECTIVES);
    const material = pick(rnd, MATERIALS);
    const brand = pick(rnd, BRANDS);
    const price = Math.floor(spec.min + rnd() * (spec.max - spec.min)) + 0.99;
    const name = `${brand} ${adjective} ${material} ${noun}`;
    products.push({
      sku: sku(n),
      name,
      category,
      price,
      stock: Math.floor(rnd() * 500),
      description: `The ${name} is a ${adjective.toLowerCase()} ${noun.toLowerCase()} in ${material.toLowerCase()}, ${pick(rnd, QUALITIES)} and ${pick(rnd, QUALITIES)}.`,
      tags: [category, material.toLowerCase(), adjective.toLowerCase()],
    });
  }
  return products;
}
