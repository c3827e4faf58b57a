fn main() {
    println!("avmigrate");
}
