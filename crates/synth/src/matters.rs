//! Facts outside the tables that the narrative reports: last year's 三公 and 机关运行经费,
//! 政府采购 and 国有资产 (§十二(一)–(三)).

use budgetflow_model::narrative::Block;
use rand::Rng;

use crate::budget::Budget;
use crate::department::Department;
use crate::money::{between, printed, scaled, Cents, YearOnYear};
use crate::narrative::{heading, paragraph};
use crate::reasons;

/// 三公 items this year against last year.
#[derive(Debug, Clone, Copy)]
pub struct ThreePublic {
    pub overseas: YearOnYear,
    pub purchase: YearOnYear,
    pub operation: YearOnYear,
    pub reception: YearOnYear,
}

impl ThreePublic {
    pub fn total(&self) -> YearOnYear {
        self.overseas + self.purchase + self.operation + self.reception
    }
}

/// 政府采购 (cents).
#[derive(Debug, Clone, Copy)]
pub struct Procurement {
    pub goods: Cents,
    pub works: Cents,
    pub services: Cents,
    pub sme: Cents,
    pub micro: Cents,
}

impl Procurement {
    pub fn total(&self) -> Cents {
        self.goods + self.works + self.services
    }
}

/// 国有资产占用使用情况.
#[derive(Debug, Clone, Copy)]
pub struct Assets {
    /// m², whole.
    pub building_area: i64,
    pub building_value: Cents,
    pub official_cars: (u32, Cents),
    pub enforcement_cars: (u32, Cents),
    pub furniture: Cents,
    pub other: Cents,
    pub equipment_over_50: u32,
    pub equipment_over_100: u32,
}

#[derive(Debug)]
pub struct Matters {
    pub three_public: ThreePublic,
    /// 机关运行经费 (= 表6 公用经费).
    pub running_cost: YearOnYear,
    pub procurement: Procurement,
    pub assets: Assets,
}

impl Matters {
    pub fn draw(rng: &mut impl Rng, dept: &Department, budget: &Budget) -> Matters {
        let reception = budget.economic_line("30217");
        let operation = budget.economic_line("30231");
        let three_public = ThreePublic {
            overseas: YearOnYear::new(0, 0),
            purchase: YearOnYear::new(0, 0),
            operation: if operation > 0 {
                YearOnYear::steady(rng, operation)
            } else {
                YearOnYear::new(0, 0)
            },
            reception: if reception > 0 {
                YearOnYear::steady(rng, reception)
            } else {
                YearOnYear::new(0, 0)
            },
        };
        let goods_services: Cents = budget
            .projects
            .iter()
            .filter(|p| !p.subsidy)
            .map(|p| p.cents)
            .sum::<Cents>()
            + budget.operating();
        let services = scaled(goods_services, rng.random_range(50..=400));
        let goods = between(rng, 1, 40);
        let works = if rng.random_bool(0.3) {
            between(rng, 1, 30)
        } else {
            0
        };
        let sme = scaled(goods + works + services, rng.random_range(200..=1000));
        let micro = if rng.random_bool(0.5) {
            sme
        } else {
            scaled(sme, rng.random_range(500..=1000))
        };
        let official_value = i64::from(dept.official_cars) * between(rng, 10, 30);
        let enforcement_value = i64::from(dept.enforcement_cars) * between(rng, 10, 30);
        let equipment_over_50 = if rng.random_bool(0.2) {
            rng.random_range(1..=3)
        } else {
            0
        };
        let units = dept.units.len() as i64;
        let assets = Assets {
            building_area: units * rng.random_range(300..=3000),
            building_value: between(rng, 20, 900),
            official_cars: (dept.official_cars, official_value),
            enforcement_cars: (dept.enforcement_cars, enforcement_value),
            furniture: between(rng, 5, 200),
            other: between(rng, 50, 2000),
            equipment_over_50,
            equipment_over_100: rng.random_range(0..=equipment_over_50),
        };
        Matters {
            three_public,
            running_cost: YearOnYear::steady(rng, budget.operating()),
            procurement: Procurement {
                goods,
                works,
                services,
                sme,
                micro,
            },
            assets,
        }
    }

    /// §十二(一)–(三): 机关运行经费, 政府采购, 国有资产.
    pub fn blocks(&self, dept: &Department) -> Vec<Block> {
        let (d, y) = (&dept.name, dept.year);
        let p = &self.procurement;
        let a = &self.assets;
        let vehicles = a.official_cars.0 + a.enforcement_cars.0;
        let vehicle_value = a.official_cars.1 + a.enforcement_cars.1;
        vec![
            heading(1, "单位运行经费情况"),
            paragraph(format!(
                "{d} {y} 年的机关运行经费财政拨款预算 {} 万元，比上年预算{}，主要原因是{}。",
                printed(self.running_cost.current),
                self.running_cost.phrase(),
                reasons::running_cost(self.running_cost)
            )),
            heading(2, "政府采购情况"),
            paragraph(format!(
                "{y} 年，{d}政府采购预算 {} 万元，其中：政府采购货物预算 {} 万元，政府采购工程预算 {} 万元，政府采购服务预算 {} 万元。",
                printed(p.total()),
                printed(p.goods),
                printed(p.works),
                printed(p.services)
            )),
            paragraph(format!(
                "{y} 年，{d}面向中小企业预留政府采购项目预算金额 {} 万元，小微企业预留政府采购项目预算金额 {} 万元。",
                printed(p.sme),
                printed(p.micro)
            )),
            heading(3, "国有资产占用使用情况"),
            paragraph(format!("截至 {} 年底，{d}及下属各预算单位占用使用国有资产总体情况为：", y - 1)),
            paragraph(format!("1.房屋 {}.00 平方米，价值 {} 万元。", budgetflow_model::amount::group_thousands(&a.building_area.to_string()), printed(a.building_value))),
            paragraph(format!(
                "2.车辆 {vehicles} 辆，价值 {} 万元；其中：一般公务用车 {} 辆，价值 {} 万元；执法执勤用车 {} 辆，价值 {} 万元；其他车辆 0 辆，价值 0.00 万元。",
                printed(vehicle_value),
                a.official_cars.0,
                printed(a.official_cars.1),
                a.enforcement_cars.0,
                printed(a.enforcement_cars.1)
            )),
            paragraph(format!("3.办公家具价值 {} 万元。", printed(a.furniture))),
            paragraph(format!("4.其他资产价值 {} 万元。", printed(a.other))),
            paragraph(format!(
                "部门价值 50 万元以上大型设备 {} 台，部门价值 100 万元以上大型设备 {} 台。",
                a.equipment_over_50, a.equipment_over_100
            )),
            paragraph(format!("{y} 年部门预算未安排购置车辆经费，安排购置 50 万元以上大型设备 0 台，单位价值 100 万元以上大型设备 0 台。")),
        ]
    }
}
